// What the store-backed services a plugin calls (schedules, job history) share: finding one of
// the plugin's own job types, and the session to use (the run's transaction in a run; a
// session of its own in the plugin context, e.g. during init).
#pragma once

#include "services/context.h"
#include "store/database.h"
#include "store/run_transaction.h"

namespace jobhost::services {

// The job type if it is one of this plugin's own, else nullptr.
inline const plugin::JobTypeSpec* own_job_type(Context& ctx, const char* job_type) {
  if (!job_type || !ctx.plugin().spec) return nullptr;
  for (const auto& t : ctx.plugin().spec->job_types)
    if (t.name == job_type) return &t;
  return nullptr;
}

// Runs `fn(session)`: in a run inside its transaction (so it commits or rolls back with the
// run, and reads see the run's writes); in the plugin context in a transaction of its own,
// committed at once.
template <class Fn>
void with_plugin_session(Context& ctx, Fn&& fn) {
  if (ctx.kind() == Context::Kind::run) {
    fn(static_cast<RunContext&>(ctx).transaction().use());
    return;
  }
  auto session = ctx.plugin().database->open();
  store::WriteTransaction tx(*session);
  fn(*session);
  tx.commit();
}

}  // namespace jobhost::services
