// find_asset: the paths the HTTP router asks for, and the embedded bytes against the files in
// framework/dashboard/assets/ (a file on disk that is not embedded fails too).
#include "dashboard/assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

namespace fs = std::filesystem;
using jobhost::dashboard::find_asset;

const fs::path kAssetDir = fs::path(JOBHOST_SOURCE_DIR) / "framework" / "dashboard" / "assets";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(DashboardAssets, RootAndIndexServeThePage) {
  const auto* root = find_asset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_NE(root->body.find("<!doctype html>"), std::string_view::npos);
  const auto* index = find_asset("/index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->body.data(), root->body.data());
}

TEST(DashboardAssets, StaticFilesHaveTheirContentTypes) {
  const auto* js = find_asset("/static/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  const auto* css = find_asset("/static/app.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
}

TEST(DashboardAssets, OtherPathsAreNotFound) {
  for (const char* path : {"", "/static/", "/static/nope.js", "/app.js", "/static/../app.js",
                           "/static/sub/app.js", "/static/.hidden", "/static/app.js?v=1",
                           "/api/v1/status", "/index.htm", "static/app.js", "//"}) {
    EXPECT_EQ(find_asset(path), nullptr) << path;
  }
}

TEST(DashboardAssets, EveryFileOnDiskIsEmbeddedByteForByte) {
  ASSERT_TRUE(fs::is_directory(kAssetDir)) << kAssetDir;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kAssetDir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const auto* asset = find_asset("/static/" + name);
    ASSERT_NE(asset, nullptr) << name
                              << " is in framework/dashboard/assets/ but not embedded: add it "
                                 "to the list in framework/dashboard/CMakeLists.txt";
    EXPECT_EQ(asset->body, read_file(entry.path())) << name << " differs from the file on disk";
    EXPECT_FALSE(asset->content_type.empty()) << name;
    ++files;
  }
  EXPECT_GE(files, 3);
}

TEST(DashboardAssets, ThePageLoadsOnlyEmbeddedFiles) {
  // Every <script src> and <link href> of index.html names an embedded /static/ file.
  const std::string page(find_asset("/")->body);
  int references = 0;
  for (const std::string attr : {"src=\"", "href=\""}) {
    for (auto at = page.find(attr); at != std::string::npos; at = page.find(attr, at + 1)) {
      const auto begin = at + attr.size();
      const std::string url = page.substr(begin, page.find('"', begin) - begin);
      if (url.starts_with("#")) continue;
      EXPECT_NE(find_asset(url), nullptr) << url << " (referenced by index.html)";
      ++references;
    }
  }
  EXPECT_GE(references, 2);
}

}  // namespace
