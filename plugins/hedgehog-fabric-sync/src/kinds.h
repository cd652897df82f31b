// The Hedgehog custom resources a fabric sync mirrors (REMOTE-APIS.md): 12 kinds in two API
// groups. The fabric's profiles (switchprofiles, serverprofiles) are not synced.
#pragma once

#include <string>
#include <vector>

namespace hfs {

struct Kind {
  std::string group;    // "wiring.githedgehog.com"
  std::string version;  // "v1beta1"
  std::string plural;   // "switches": the name the plugin's tables and results use
  std::string kind;     // "Switch"

  // "/apis/wiring.githedgehog.com/v1beta1/namespaces/<ns>/switches"
  std::string list_path(const std::string& ns) const;
};

const std::vector<Kind>& synced_kinds();

}  // namespace hfs
