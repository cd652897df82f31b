#include "core/logging.h"

#include <cstdio>
#include <mutex>
#include <string_view>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace jobhost {

namespace {

std::mutex g_mutex;
std::shared_ptr<spdlog::sinks::sink> g_sink;
LogOptions g_options;

// JSON lines: %j is the message escaped for a JSON string (spdlog's %v is not escaped).
constexpr const char* kJsonPattern =
    R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","message":"%j"})";

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
constexpr const char* kTextPattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v";

std::shared_ptr<spdlog::sinks::sink> sink_locked() {
  if (!g_sink) g_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  return g_sink;
}

std::shared_ptr<spdlog::logger> make_logger_locked(const std::string& name) {
  auto logger = spdlog::get(name);
  if (logger) return logger;
  logger = std::make_shared<spdlog::logger>(name, sink_locked());
  logger->set_level(spdlog::level::from_str(g_options.level));
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace

bool configure_logging(const LogOptions& options) {
  std::lock_guard lock(g_mutex);
  auto level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") return false;
  g_options = options;
  auto sink = sink_locked();
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<JsonEscapedMessage>('j');
  formatter->set_pattern(options.format == "json" ? kJsonPattern : kTextPattern);
  sink->set_formatter(std::move(formatter));
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(level); });
  make_logger_locked("jobhost")->set_level(level);
  return true;
}

std::shared_ptr<spdlog::logger> host_log() {
  std::lock_guard lock(g_mutex);
  return make_logger_locked("jobhost");
}

std::shared_ptr<spdlog::logger> plugin_log(const std::string& plugin) {
  std::lock_guard lock(g_mutex);
  return make_logger_locked("plugin:" + plugin);
}

}  // namespace jobhost
