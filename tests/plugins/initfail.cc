// A plugin whose init refuses to start, with a message the host must show.
#include <stdexcept>

#include <jobhost/sdk.hpp>

JOBHOST_PLUGIN("initfail", "0.0.1", "Refuses to start") {
  plugin.job("initfail.never").run([](jobhost::Run&) { return jobhost::Result::ok(); });
  plugin.on_init([](jobhost::Context&) {
    throw std::runtime_error("cannot reach the moon: set plugins.initfail.moon_url");
  });
}
