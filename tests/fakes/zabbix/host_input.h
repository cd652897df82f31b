#pragma once

#include <string>

#include "fakes/zabbix/api_version.h"
#include "fakes/zabbix/host.h"
#include "fakes/zabbix/json_text.h"

// The validation of one host of host.create/host.update, in the order CHost checks, so the
// first error a bad host meets is the one real Zabbix answers.
namespace jobhost::testing::fake_zabbix {

// Reads `in` (at `path`, such as "/1") into `h`: a new Host when creating, a copy of the
// stored host on update. Name uniqueness across hosts is the caller's check. Throws ApiError.
void read_host(const ojson& in, const std::string& path, bool creating, const ApiVersion& version,
               Host& h);

}  // namespace jobhost::testing::fake_zabbix
