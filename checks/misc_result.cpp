#include "checks/misc_result.h"

namespace sluice::checks {

MiscResult misc_result(const MiscOutcome& outcome, bool misc_dynamic) {
    MiscResult r;
    switch (outcome.kind) {
        case MiscOutcome::Kind::exited:
            r.reason = "exit " + std::to_string(outcome.code);
            if (outcome.code == 0) {
                r.up = true;
            } else if (misc_dynamic && outcome.code >= 2 && outcome.code <= 255) {
                r.up = true;
                r.weight = static_cast<std::uint32_t>(outcome.code - 2);
            }
            break;
        case MiscOutcome::Kind::signalled:
            r.reason = "signal " + std::to_string(outcome.code);
            break;
        case MiscOutcome::Kind::timed_out:
            r.reason = "timed out";
            break;
        case MiscOutcome::Kind::spawn_failed:
            r.reason = outcome.error.empty() ? "spawn failed" : "spawn failed: " + outcome.error;
            break;
    }
    return r;
}

}  // namespace sluice::checks
