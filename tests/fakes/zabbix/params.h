#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/zabbix/json_text.h"

// Reading call parameters as CApiInputValidator does: numbers may come as JSON numbers or as
// strings, one object may stand for a list of one, and a bad value throws the -32602 error
// real Zabbix words for it (see rpc_errors.h), with the path of the value.
namespace jobhost::testing::fake_zabbix {

bool all_digits(std::string_view text);
bool contains(const std::vector<std::string>& values, std::string_view value);
// Method names are case-insensitive: "Host.Get" is host.get.
std::string lower(std::string_view text);

const ojson& empty_object();
// A member of an object, or nullptr.
const ojson* member(const ojson& object, const char* name);
// A present, non-null member.
const ojson* given(const ojson& object, const char* name);

// Lenient conversions: nullopt when the value is not one.
std::optional<long long> int_value(const ojson& value);
std::optional<std::uint64_t> id_value(const ojson& value);
// A scalar as the frontend would see it in a filter: "10", "abc", "1" for true.
std::optional<std::string> scalar_text(const ojson& value);
// zbx_value2array: a scalar or a list of scalars.
std::vector<std::string> scalar_list(const ojson& value);
std::vector<std::uint64_t> id_list(const ojson& value);

// Validating readers: they throw -32602 naming `path`.
int get_int(const ojson& value, const std::string& path);  // API_INT32
int get_int_in(const ojson& value, const std::string& path, std::initializer_list<int> allowed);
std::uint64_t get_id(const ojson& value, const std::string& path);  // API_ID
std::string get_string(const ojson& value, const std::string& path);
// API_OBJECTS with API_NORMALIZE: one object stands for a list of one; {} is an empty list.
std::vector<const ojson*> get_objects(const ojson& value, const std::string& path);
// Only the `allowed` members: any other answers 'unexpected parameter'.
void check_fields(const ojson& object, const std::string& path,
                  std::initializer_list<std::string_view> allowed);

}  // namespace jobhost::testing::fake_zabbix
