#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace jobhost::testing {
namespace {

namespace fs = std::filesystem;

TEST(TempDir, CreatesPrivateDirectoryAndRemovesItWithContents) {
  fs::path path;
  {
    TempDir dir("selftest");
    path = dir.path();
    ASSERT_TRUE(fs::is_directory(path));
    EXPECT_TRUE(path.filename().string().starts_with("selftest-"));
    EXPECT_EQ(fs::status(path).permissions(), fs::perms::owner_all);
    EXPECT_EQ(dir.file("a.txt"), path / "a.txt");
    EXPECT_FALSE(fs::exists(dir.file("a.txt")));  // file() only names it
    fs::create_directories(path / "sub" / "deeper");
    std::ofstream(path / "sub" / "deeper" / "x") << "x";
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempDir, TwoDirectoriesDiffer) {
  TempDir a;
  TempDir b;
  EXPECT_NE(a.path(), b.path());
}

TEST(TempDir, HonoursExplicitBase) {
  TempDir base;
  TempDir inner("inner", base.path());
  EXPECT_EQ(inner.path().parent_path(), base.path());
}

TEST(TempDir, MoveTransfersOwnership) {
  TempDir first;
  fs::path path = first.path();
  TempDir second(std::move(first));
  EXPECT_EQ(second.path(), path);
  TempDir third;
  fs::path replaced = third.path();
  third = std::move(second);
  EXPECT_FALSE(fs::exists(replaced));  // the directory it held before is gone
  EXPECT_TRUE(fs::exists(path));
}

TEST(TempDir, KeptWhenAsked) {
  ::setenv("JOBHOST_KEEP_TEST_DIRS", "1", 1);
  fs::path path;
  {
    TempDir dir("kept");
    path = dir.path();
  }
  ::unsetenv("JOBHOST_KEEP_TEST_DIRS");
  EXPECT_TRUE(fs::exists(path));
  fs::remove_all(path);
}

TEST(TempDir, ThrowsWhenBaseIsMissing) {
  EXPECT_THROW(TempDir("x", "/nonexistent/jobhost"), std::system_error);
}

}  // namespace
}  // namespace jobhost::testing
