#include "config/setting_tree.h"

#include <stdexcept>

#include <fmt/format.h>

#include "config/setting_value.h"

namespace jobhost::config {

namespace {

constexpr std::string_view kListSuffix = "[]";

// Where a spec went wrong, for the exception.
struct SpecContext {
  std::string_view plugin_name;
  const SettingSpec& spec;

  [[noreturn]] void fail(std::string_view why) const {
    throw std::invalid_argument(
        fmt::format("plugin '{}': setting '{}': {}", plugin_name, spec.path, why));
  }
};

SettingNode* find_child(SettingNode& node, std::string_view name) {
  for (SettingNode& child : node.children) {
    if (child.name == name) return &child;
  }
  return nullptr;
}

SettingNode& add_child(SettingNode& node, std::string_view name, SettingNode::Kind kind) {
  node.children.push_back({.name = std::string(name), .kind = kind});
  return node.children.back();
}

std::vector<std::string_view> split_path(const SpecContext& context) {
  std::vector<std::string_view> segments;
  std::string_view rest = context.spec.path;
  while (true) {
    const auto dot = rest.find('.');
    const std::string_view segment = rest.substr(0, dot);
    std::string_view name = segment;
    if (name.ends_with(kListSuffix)) name.remove_suffix(kListSuffix.size());
    if (name.empty() || name.find_first_of("[]") != std::string_view::npos) {
      context.fail("the path must be dot-separated names, each optionally ending in []");
    }
    segments.push_back(segment);
    if (dot == std::string_view::npos) return segments;
    rest.remove_prefix(dot + 1);
  }
}

// A container on the way to a spec's leaf: `auth` in `auth.token`, `fabrics[]` in
// `fabrics[].name`.
SettingNode& container_for(SettingNode& parent, std::string_view segment,
                           const SpecContext& context) {
  const bool is_list = segment.ends_with(kListSuffix);
  const std::string_view name =
      is_list ? segment.substr(0, segment.size() - kListSuffix.size()) : segment;
  const SettingNode::Kind kind = is_list ? SettingNode::Kind::list_of_maps : SettingNode::Kind::map;
  SettingNode* child = find_child(parent, name);
  if (child == nullptr) return add_child(parent, name, kind);
  // An `object` declared first becomes a checked map once settings appear below it.
  if (!is_list && child->kind == SettingNode::Kind::value &&
      child->spec->type == SettingType::object) {
    child->kind = SettingNode::Kind::map;
  }
  if (child->kind != kind) context.fail(fmt::format("'{}' is declared with another type", name));
  return *child;
}

void place_leaf(SettingNode& parent, std::string_view segment, const SpecContext& context) {
  const SettingSpec& spec = context.spec;
  if (segment.ends_with(kListSuffix)) {
    if (spec.type != SettingType::list) context.fail("a path ending in [] must have type list");
    const std::string_view name = segment.substr(0, segment.size() - kListSuffix.size());
    SettingNode* child = find_child(parent, name);
    if (child == nullptr) child = &add_child(parent, name, SettingNode::Kind::list_of_maps);
    if (child->kind != SettingNode::Kind::list_of_maps || child->spec != nullptr) {
      context.fail("declared twice");
    }
    child->spec = &spec;
    return;
  }
  SettingNode* child = find_child(parent, segment);
  if (child == nullptr) {
    add_child(parent, segment, SettingNode::Kind::value).spec = &spec;
  } else if (child->kind == SettingNode::Kind::map && child->spec == nullptr &&
             spec.type == SettingType::object) {
    child->spec = &spec;  // describes a map whose settings were declared first
  } else {
    context.fail("declared twice, or both a value and a map");
  }
}

void check_spec_fields(const SpecContext& context) {
  const SettingSpec& spec = context.spec;
  const bool numeric = spec.type == SettingType::integer || spec.type == SettingType::number;
  if ((spec.min || spec.max) && !numeric) context.fail("min/max need type integer or number");
  if (spec.min && spec.max && *spec.min > *spec.max) context.fail("min is greater than max");
  if (!spec.choices.empty() && spec.type == SettingType::object) {
    context.fail("choices do not apply to an object");
  }
}

// A default goes through the same checks as a value from a file.
std::optional<nlohmann::json> parse_default(const SettingSpec& spec, const SpecContext& context) {
  if (!spec.default_value) return std::nullopt;
  YAML::Node node;
  try {
    // A string default is taken literally, never as YAML ("a: b" is a string, not a map).
    node = spec.type == SettingType::string ? YAML::Node(*spec.default_value)
                                            : YAML::Load(*spec.default_value);
  } catch (const YAML::Exception& error) {
    context.fail(fmt::format("the default is not valid YAML: {}", error.msg));
  }
  const std::string file = "<default>";
  std::vector<ConfigProblem> problems;
  SettingProblems sink{.file = file, .problems = problems};
  std::optional<nlohmann::json> value;
  if (!node.IsNull()) value = check_setting_value(spec, node, {}, spec.path, sink);
  if (!value) {
    context.fail(fmt::format(
        "the default {}", problems.empty() ? std::string("is empty") : problems.front().message));
  }
  return value;
}

void attach_defaults(SettingNode& node, std::string_view plugin_name) {
  for (SettingNode& child : node.children) {
    if (child.kind == SettingNode::Kind::value) {
      child.default_json = parse_default(*child.spec, {plugin_name, *child.spec});
    } else {
      if (child.spec != nullptr && child.spec->default_value) {
        SpecContext{plugin_name, *child.spec}.fail("a map or list of maps cannot have a default");
      }
      attach_defaults(child, plugin_name);
    }
  }
}

}  // namespace

const SettingNode* SettingNode::find(std::string_view key) const {
  for (const SettingNode& child : children) {
    if (child.name == key) return &child;
  }
  return nullptr;
}

std::vector<std::string> SettingNode::child_names() const {
  std::vector<std::string> names;
  for (const SettingNode& child : children) names.push_back(child.name);
  return names;
}

SettingNode build_setting_tree(const std::vector<SettingSpec>& specs,
                               std::string_view plugin_name) {
  SettingNode root{.kind = SettingNode::Kind::map};
  for (const SettingSpec& spec : specs) {
    const SpecContext context{plugin_name, spec};
    check_spec_fields(context);
    const std::vector<std::string_view> segments = split_path(context);
    SettingNode* parent = &root;
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      parent = &container_for(*parent, segments[i], context);
    }
    place_leaf(*parent, segments.back(), context);
  }
  attach_defaults(root, plugin_name);
  return root;
}

}  // namespace jobhost::config
