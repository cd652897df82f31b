// A page of docs/ that a jobhost command generates (the configuration and command-line
// references): the test fails when the page and the binary's output differ, naming the first
// differing line and the command that regenerates the page.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_harness.h"

namespace jobhost::testing {

inline void expect_doc_is_output_of(const std::string& doc, const std::vector<std::string>& args) {
  std::string command = "build/bin/jobhost";
  for (const auto& a : args) command += " " + a;
  const std::string regenerate = command + " > " + doc;
  const std::string doc_path = std::string(JOBHOST_SOURCE_DIR) + "/" + doc;
  const std::string text = read_file(doc_path);
  ASSERT_FALSE(text.empty()) << doc_path << " is missing; create it with: " << regenerate;
  const auto r = run_jobhost(args);
  ASSERT_EQ(r.exit_code, 0) << describe(args, r);
  if (r.out == text) return;
  std::istringstream want(r.out), have(text);
  std::string want_line, have_line;
  int line = 0;
  bool more_wanted = true, more_had = true;
  do {
    ++line;
    more_wanted = static_cast<bool>(std::getline(want, want_line));
    more_had = static_cast<bool>(std::getline(have, have_line));
  } while (more_wanted && more_had && want_line == have_line);
  ADD_FAILURE() << doc << " differs from `" << command << "` at line " << line << ":\n- " << doc
                << ": " << (more_had ? have_line : "(end of file)") << "\n+ " << command << ": "
                << (more_wanted ? want_line : "(end of output)")
                << "\nRegenerate it from the source directory (after building) with:\n  "
                << regenerate;
}

}  // namespace jobhost::testing
