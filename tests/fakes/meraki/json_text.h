#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// JSON written by hand for the objects the fake serves by the thousand: a device costs a
// fraction of a microsecond this way against several through nlohmann::json, which matters
// when 50,000 of them are generated (each object's text is kept, lists only concatenate).
namespace jobhost::testing::fake_meraki {

// Appends text as a JSON string, quotes included (control characters, quotes and backslashes
// escaped; other bytes, UTF-8 included, as they are).
void append_string(std::string& out, std::string_view text);
// Appends `"key":` (the key escaped).
void append_key(std::string& out, std::string_view key);
// Appends a number the shortest way that reads back the same ("52.52", "-0.1276", "3").
void append_number(std::string& out, double value);
// Appends ["a","b"].
void append_strings(std::string& out, const std::vector<std::string>& values);
// Appends ,"key":value for each member of an object (nothing for null or an empty object):
// the fields a test put() that the fake has no member for.
void append_extra(std::string& out, const nlohmann::json& extra);

}  // namespace jobhost::testing::fake_meraki
