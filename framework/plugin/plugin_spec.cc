#include "plugin/plugin_spec.h"

namespace jobhost::plugin {

const char* value_type_name(ValueType t) {
  switch (t) {
    case ValueType::string:
      return "string";
    case ValueType::integer:
      return "integer";
    case ValueType::number:
      return "number";
    case ValueType::boolean:
      return "boolean";
    case ValueType::list:
      return "list";
    case ValueType::object:
      return "object";
  }
  return "unknown";
}

const ParamSpec* JobTypeSpec::find_param(const std::string& param) const {
  for (const auto& p : params)
    if (p.name == param) return &p;
  return nullptr;
}

}  // namespace jobhost::plugin
