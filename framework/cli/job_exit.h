// What the job commands share: the errors they meet turned into exit codes, and a finished
// job's status as the command's exit code.
#pragma once

#include <stdexcept>

#include "cli/exit_codes.h"
#include "cli/open_host.h"
#include "jobs/job.h"
#include "jobs/job_store.h"
#include "jobs/params.h"
#include "store/database.h"

namespace jobhost::cli {

// Runs a command body; bad parameters and unknown job types are usage errors, a taken
// singleton slot and an unavailable store have their own codes.
template <class Fn>
int exit_on_job_errors(Fn&& fn) {
  try {
    return fn();
  } catch (const jobs::ParamError& e) {
    throw CliExit(kUsage, e.what());
  } catch (const jobs::SingletonConflict& e) {
    throw CliExit(kSingletonBusy, e.what());
  } catch (const std::invalid_argument& e) {
    throw CliExit(kUsage, e.what());
  } catch (const store::StoreError& e) {
    throw CliExit(kStoreUnavailable, e.what());
  }
}

// completed 0, failed 3, anything else (errored, or not finished) 1.
inline int exit_code_for(jobs::JobStatus status) {
  switch (status) {
    case jobs::JobStatus::completed:
      return kOk;
    case jobs::JobStatus::failed:
      return kJobFailed;
    default:
      return kJobErrored;
  }
}

}  // namespace jobhost::cli
