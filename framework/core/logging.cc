#include "core/logging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace jobhost {

namespace {

std::mutex g_mutex;
std::shared_ptr<spdlog::sinks::sink> g_sink;
spdlog::level::level_enum g_host_level = spdlog::level::info;
std::map<std::string, spdlog::level::level_enum, std::less<>> g_plugin_levels;

constexpr std::string_view kPluginPrefix = "plugin:";

// JSON lines: %j is the message escaped for a JSON string (spdlog's %v is not escaped).
constexpr const char* kJsonPattern =
    R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","message":"%j"})";
constexpr const char* kTextPattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v";
// For the journal: %Q is the syslog priority prefix, %J the message with the prefix repeated
// on each of its lines; the journal records the time itself.
constexpr const char* kJournalTextPattern = "%Q%-5l [%n] %J";

class JsonEscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : msg.payload) {
      switch (c) {
        case '"':
          dest.append(std::string_view("\\\""));
          break;
        case '\\':
          dest.append(std::string_view("\\\\"));
          break;
        case '\n':
          dest.append(std::string_view("\\n"));
          break;
        case '\r':
          dest.append(std::string_view("\\r"));
          break;
        case '\t':
          dest.append(std::string_view("\\t"));
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            dest.append(std::string_view(buf));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

// "<N>": the syslog priority in the form sd-daemon(3) defines and journald reads off the start
// of a line (systemd's SyslogLevelPrefix=, on by default).
void append_priority(spdlog::level::level_enum level, spdlog::memory_buf_t& dest) {
  char priority = '6';  // LOG_INFO
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      priority = '7';  // LOG_DEBUG
      break;
    case spdlog::level::info:
      priority = '6';
      break;
    case spdlog::level::warn:
      priority = '4';  // LOG_WARNING
      break;
    case spdlog::level::err:
      priority = '3';  // LOG_ERR
      break;
    case spdlog::level::critical:
      priority = '2';  // LOG_CRIT
      break;
    default:
      break;
  }
  dest.push_back('<');
  dest.push_back(priority);
  dest.push_back('>');
}

class SyslogPriority : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    append_priority(msg.level, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriority>();
  }
};

// journald makes an entry of every line: each line of a multi-line message gets the priority
// too, or `journalctl -p err` would show an error's first line only.
class JournalMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : msg.payload) {
      dest.push_back(c);
      if (c == '\n') append_priority(msg.level, dest);
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JournalMessage>();
  }
};

std::optional<spdlog::level::level_enum> parse_level(const std::string& text) {
  const auto level = spdlog::level::from_str(text);
  if (level == spdlog::level::off && text != "off") return std::nullopt;
  return level;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

spdlog::level::level_enum level_for_locked(std::string_view logger_name) {
  if (logger_name.starts_with(kPluginPrefix)) {
    const auto found = g_plugin_levels.find(logger_name.substr(kPluginPrefix.size()));
    if (found != g_plugin_levels.end()) return found->second;
  }
  return g_host_level;
}

std::shared_ptr<spdlog::sinks::sink> sink_locked() {
  if (!g_sink) g_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  return g_sink;
}

std::shared_ptr<spdlog::logger> make_logger_locked(const std::string& name) {
  auto logger = spdlog::get(name);
  if (logger) return logger;
  logger = std::make_shared<spdlog::logger>(name, sink_locked());
  logger->set_level(level_for_locked(name));
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  const std::string_view text(stream);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  const auto device = parse_number(text.substr(0, colon));
  const auto inode = parse_number(text.substr(colon + 1));
  struct stat st {};
  if (!device || !inode || ::fstat(STDERR_FILENO, &st) != 0) return false;
  return static_cast<std::uint64_t>(st.st_dev) == *device &&
         static_cast<std::uint64_t>(st.st_ino) == *inode;
}

bool configure_logging(const LogOptions& options) {
  const auto host_level = parse_level(options.level);
  if (!host_level) return false;
  std::map<std::string, spdlog::level::level_enum, std::less<>> plugin_levels;
  for (const auto& [plugin, text] : options.plugin_levels) {
    const auto level = parse_level(text);
    if (!level) return false;
    plugin_levels.emplace(plugin, *level);
  }
  if (options.format != "text" && options.format != "json") return false;
  bool journal = false;
  if (options.target == "auto") {
    journal = stderr_is_journal();
  } else if (options.target == "journald") {
    journal = true;
  } else if (options.target != "stderr") {
    return false;
  }
  // JSON lines get the priority prefix too: journald strips it, so the stored message is the
  // same JSON object, and the entry gets the line's priority instead of the unit's default.
  std::string pattern = options.format == "json" ? kJsonPattern : kTextPattern;
  if (journal) pattern = options.format == "json" ? "%Q" + pattern : kJournalTextPattern;

  std::lock_guard lock(g_mutex);
  g_host_level = *host_level;
  g_plugin_levels = std::move(plugin_levels);
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<JsonEscapedMessage>('j');
  formatter->add_flag<SyslogPriority>('Q');
  formatter->add_flag<JournalMessage>('J');
  formatter->set_pattern(pattern);
  sink_locked()->set_formatter(std::move(formatter));
  spdlog::apply_all(
      [](const std::shared_ptr<spdlog::logger>& l) { l->set_level(level_for_locked(l->name())); });
  make_logger_locked("jobhost");
  return true;
}

std::shared_ptr<spdlog::logger> host_log() {
  std::lock_guard lock(g_mutex);
  return make_logger_locked("jobhost");
}

std::shared_ptr<spdlog::logger> plugin_log(const std::string& plugin) {
  std::lock_guard lock(g_mutex);
  return make_logger_locked(std::string(kPluginPrefix) + plugin);
}

bool has_plugin_log(const std::string& plugin) {
  std::lock_guard lock(g_mutex);
  return spdlog::get(std::string(kPluginPrefix) + plugin) != nullptr;
}

}  // namespace jobhost
