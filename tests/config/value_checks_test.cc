// The shared value checks: what counts as an integer, number, boolean; typo suggestions.

#include <gtest/gtest.h>

#include "config/value_checks.h"

namespace jobhost::config {
namespace {

TEST(CheckInteger, AcceptsPlainDecimalOnly) {
  EXPECT_EQ(check_integer("42", {}, {}).value, 42);
  EXPECT_EQ(check_integer("-7", {}, {}).value, -7);
  EXPECT_EQ(check_integer("+7", {}, {}).value, 7);
  for (const char* text :
       {"", "1.0", "0x10", "1e3", " 4", "4 ", "four", "+", "-", "+-1", "1_000"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(check_integer(text, {}, {}).error, "must be an integer");
  }
}

TEST(CheckInteger, Ranges) {
  EXPECT_EQ(check_integer("0", 1, 256).error, "must be >= 1");
  EXPECT_EQ(check_integer("257", 1, 256).error, "must be <= 256");
  EXPECT_TRUE(check_integer("256", 1, 256).ok());
  EXPECT_EQ(check_integer("-99999999999999999999", 0, {}).error, "must be >= 0");
  EXPECT_EQ(check_integer("99999999999999999999", {}, {}).error, "is too large for an integer");
}

TEST(CheckNumber, FiniteDecimals) {
  EXPECT_EQ(check_number("2.5", {}, {}).value, 2.5);
  EXPECT_EQ(check_number("-1e3", {}, {}).value, -1000.0);
  EXPECT_EQ(check_number("+3", {}, {}).value, 3.0);
  for (const char* text : {"", "inf", "nan", "1,5", "fast", ".", "1e999"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(check_number(text, {}, {}).error, "must be a number");
  }
  EXPECT_EQ(check_number("0.25", 0.5, {}).error, "must be >= 0.5");
}

TEST(CheckBoolean, TrueOrFalseOnly) {
  EXPECT_EQ(check_boolean("true").value, true);
  EXPECT_EQ(check_boolean("False").value, false);
  EXPECT_EQ(check_boolean("TRUE").value, true);
  for (const char* text : {"yes", "no", "on", "1", "tRue", ""}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(check_boolean(text).error, "must be true or false");
  }
}

TEST(UnknownKey, SuggestsOnlyCloseKeys) {
  const std::vector<std::string> known = {"host", "store", "workers", "log", "plugins"};
  EXPECT_EQ(unknown_key_message("wokers", known), "unknown key 'wokers' (did you mean 'workers'?)");
  EXPECT_EQ(unknown_key_message("plugin", known), "unknown key 'plugin' (did you mean 'plugins'?)");
  EXPECT_EQ(unknown_key_message("stroe", known), "unknown key 'stroe' (did you mean 'store'?)");
  EXPECT_EQ(unknown_key_message("dog", known), "unknown key 'dog' (did you mean 'log'?)");
  EXPECT_EQ(unknown_key_message("fog", {"log"}), "unknown key 'fog' (did you mean 'log'?)");
  EXPECT_EQ(unknown_key_message("ab", {"log"}), "unknown key 'ab'");  // 2 edits of 3 letters
  EXPECT_EQ(unknown_key_message("colour", known), "unknown key 'colour'");
  EXPECT_EQ(closest_key("x", {}), std::nullopt);
}

}  // namespace
}  // namespace jobhost::config
