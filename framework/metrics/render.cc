#include <exception>

#include "core/logging.h"
#include "host/host.h"
#include "metrics/exposition.h"
#include "metrics/metrics.h"
#include "metrics/process_metrics.h"
#include "metrics/store_gauges.h"

namespace jobhost::metrics {

RenderContext RenderContext::of(Host& host) {
  RenderContext ctx;
  ctx.instance = host.instance();
  ctx.lost_after = static_cast<Micros>(host.config().lost_after_s) * 1'000'000;
  for (const auto& type : host.plugins().job_types()) ctx.job_types.push_back(type->name);
  return ctx;
}

std::string render(store::Session& session, const RenderContext& ctx) {
  RenderContext at = ctx;
  if (at.now == 0) at.now = now_micros();

  // The store first: its failure must not cost the rest of the exposition.
  std::optional<StoreGauges> gauges;
  try {
    gauges = read_store_gauges(session, at);
  } catch (const std::exception& e) {
    host_log()->warn("metrics: the store's gauges are left out: {}", e.what());
  }

  Exposition out;
  out.family("jobhost_up", "gauge", "1 while this jobhost process serves its metrics.");
  out.sample("jobhost_up", {}, std::int64_t{1});
  out.family("jobhost_build_info", "gauge", "The version of this jobhost process, as a label.");
  out.sample("jobhost_build_info", {{"version", at.version}}, std::int64_t{1});
  out.family("jobhost_store_up", "gauge",
             "1 when the store answered this scrape's queries; 0 leaves out its gauges.");
  out.sample("jobhost_store_up", {}, std::int64_t{gauges ? 1 : 0});
  write_process_metrics(out);
  if (gauges) write_store_gauges(out, *gauges, at);
  return out.take();
}

}  // namespace jobhost::metrics
