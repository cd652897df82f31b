// A fake remote API (fake-zabbix, fake-kubernetes) as a separate process for a benchmark, so
// the figures measured are the host's own: started, its URL read from its first line, stopped.
#pragma once

#include <string>
#include <vector>

#include "support/process.h"

namespace jobhost::bench {

class FakeServer {
 public:
  // Runs `argv` (argv[0] under build/bin) and waits for its "listening on <url>" line. Throws
  // BenchFailure when the program is missing or does not start.
  explicit FakeServer(std::vector<std::string> argv);
  ~FakeServer();  // SIGTERM, then wait
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  const std::string& url() const { return url_; }

 private:
  static testing::Process spawn(std::vector<std::string>& argv);
  std::string name_;
  testing::Process process_;
  std::string url_;
};

}  // namespace jobhost::bench
