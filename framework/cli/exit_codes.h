// The `jobhost` command's exit codes, documented in `jobhost --help` and the README.
#pragma once

namespace jobhost::cli {

enum ExitCode : int {
  kOk = 0,
  kJobErrored = 1,         // the job raised an error (run-now); or an unexpected error
  kUsage = 2,              // bad command line, unknown job type, bad parameter
  kJobFailed = 3,          // the job ran and reported failure (run-now)
  kConfigInvalid = 4,      // the configuration file has problems
  kStoreUnavailable = 5,   // the store cannot be opened or migrated
  kSingletonBusy = 6,      // a singleton job type already has a live job
  kNotFound = 7,           // no such job
  kShutdownCancelled = 8,  // stopped, but running jobs had to be cancelled (grace ran out)
  kInterrupted = 130,      // stopped by SIGINT before finishing
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 ok; 1 the job errored; 2 usage error (bad option, unknown job type or "
    "parameter); 3 the job failed; 4 invalid configuration; 5 store unavailable; 6 singleton "
    "slot taken; 7 not found; 8 stopped after cancelling running jobs; 130 interrupted.";

}  // namespace jobhost::cli
