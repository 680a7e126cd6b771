#pragma once
// How a MISC_CHECK script's end maps to a check result (pure), as keepalived
// 2.2.7 does it (check_misc.c misc_check_child_thread):
//  - exit 0: up; with misc_dynamic the weight goes back to the configured one;
//  - exit 1: down;
//  - exit 2..255: down, unless misc_dynamic: then up with weight code - 2
//    (0..253; 0 keeps the backend up but drained);
//  - killed by a signal: down ("failed due to signal N"); killed by our own
//    SIGTERM/SIGKILL after misc_timeout: down, "timed out";
//  - the script could not be started: down.
// A down result is one failed attempt: BackendCheck still applies the retries.
// keepalived keeps a dynamic weight through failed attempts that will be
// retried and drops it (back to the configured weight) when the failure
// counts (BackendCheck::Update::attempt_failed_final).

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::checks {

struct MiscOutcome {
    enum class Kind : std::uint8_t { exited, signalled, timed_out, spawn_failed };
    Kind kind = Kind::exited;
    int code = 0;       // exit status (exited) or signal number (signalled)
    std::string error;  // spawn_failed: why
};

struct MiscResult {
    bool up = false;
    std::optional<std::uint32_t> weight;  // misc_dynamic exit 2..255: the weight to use
    std::string reason;                   // "exit 1", "signal 9", "timed out", "spawn failed: ..."
    // An up result without `weight` means the configured weight (clearing any
    // dynamic weight set before).
};

MiscResult misc_result(const MiscOutcome& outcome, bool misc_dynamic);

}  // namespace sluice::checks
