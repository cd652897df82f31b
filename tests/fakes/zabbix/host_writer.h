#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakes/zabbix/api_version.h"
#include "fakes/zabbix/get_options.h"
#include "fakes/zabbix/host.h"

// host.get's result objects, written as JSON text.
namespace jobhost::testing::fake_zabbix {

// What one host.get asks for: the output fields and each select* (absent: not selected).
struct HostQuery {
  Select output;
  std::optional<Select> interfaces;
  std::optional<Select> parent_templates;
  std::optional<Select> tags;
  std::optional<Select> hostgroups;  // selectHostGroups -> "hostgroups"
  std::optional<Select> groups;      // selectGroups (up to 7.0) -> "groups"
  std::optional<Select> inventory;
};

// Writes hosts for one host.get: the per-field work (which fields, their keys, the fixed
// values, the group and template objects) is done once per request, not once per host.
class HostWriter {
 public:
  // Keeps a reference to `query`, which must outlive the writer.
  HostWriter(const HostQuery& query, const ApiVersion& version);

  // Appends one host object.
  void write(std::string& out, const Host& h) const;

 private:
  using Getter = void (*)(const Host&, std::string&);
  struct HostField {
    std::string key;
    Getter get = nullptr;
    std::string constant;  // the quoted value when get is null
  };
  // One field of a nested object (interface, tag): its name and its key text.
  struct ObjectField {
    std::string_view name;
    std::string key;
  };

  void add_host_field(std::string_view field);
  void write_interface(std::string& out, const Host& h, const Interface& i) const;

  const HostQuery& query_;
  ApiVersion version_;
  std::vector<HostField> host_fields_;
  std::vector<std::string> hostgroups_;
  std::vector<std::string> groups_;
  std::vector<std::string> templates_;
  std::vector<ObjectField> interface_fields_;
  std::vector<ObjectField> tag_fields_;
  std::vector<std::pair<std::size_t, std::string>> inventory_fields_;
};

}  // namespace jobhost::testing::fake_zabbix
