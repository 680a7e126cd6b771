#include "checks/misc_checker.h"

#include <algorithm>
#include <utility>

#include "checks/attempt.h"
#include "checks/misc_result.h"
#include "controlplane/process/process_runner.h"

namespace sluice::checks {
namespace {

MiscOutcome outcome_of(const process::ProcessResult& r) {
    MiscOutcome outcome;
    outcome.code = r.code;
    outcome.error = r.error;
    switch (r.kind) {
        case process::ProcessResult::Kind::exited:
            outcome.kind = MiscOutcome::Kind::exited;
            break;
        case process::ProcessResult::Kind::signalled:
            outcome.kind = MiscOutcome::Kind::signalled;
            break;
        case process::ProcessResult::Kind::timed_out:
            outcome.kind = MiscOutcome::Kind::timed_out;
            break;
        case process::ProcessResult::Kind::spawn_failed:
            outcome.kind = MiscOutcome::Kind::spawn_failed;
            break;
    }
    return outcome;
}

class MiscAttempt final : public Attempt {
  public:
    MiscAttempt(boost::asio::io_context& io, process::ProcessRunner& runner,
                const MiscCheckSpec& misc, Checker::Done done)
        // The runner keeps the timeout (and kills the script): no timer here.
        : Attempt(io, std::chrono::microseconds(0), std::move(done)),
          runner_(runner),
          misc_(misc) {}

  private:
    // Whole milliseconds for the runner, rounded up (0 would mean none;
    // make_checker refuses a timeout that is not positive).
    std::chrono::milliseconds script_timeout() const {
        return std::max(std::chrono::milliseconds(1),
                        std::chrono::ceil<std::chrono::milliseconds>(misc_.timeout));
    }

    void run() override {
        process::ProcessSpec spec;
        spec.argv = misc_.argv;
        spec.user = misc_.user;
        spec.timeout = script_timeout();
        std::weak_ptr<MiscAttempt> weak = self<MiscAttempt>();
        runner_.run(std::move(spec), [weak](const process::ProcessResult& r) {
            if (auto self = weak.lock(); self && !self->over()) {
                self->on_exit(r);
            }
        });
    }

    void on_exit(const process::ProcessResult& r) {
        MiscResult m = misc_result(outcome_of(r), misc_.dynamic);
        std::string reason = "script " + m.reason;
        if (r.kind == process::ProcessResult::Kind::timed_out) {
            reason += " after " + format_ms(script_timeout());
        }
        finish(m.up, std::move(reason), m.weight);
    }

    void close() override {}

    process::ProcessRunner& runner_;
    MiscCheckSpec misc_;
};

}  // namespace

std::unique_ptr<Checker> make_misc_checker(boost::asio::io_context& io,
                                           process::ProcessRunner& runner, const CheckSpec& spec) {
    return std::make_unique<AttemptChecker>(
        [&io, &runner, misc = spec.misc](Checker::Done done) -> std::shared_ptr<Attempt> {
            if (misc.argv.empty()) {
                return make_failed_attempt(io, "script: no command", std::move(done));
            }
            return std::make_shared<MiscAttempt>(io, runner, misc, std::move(done));
        });
}

}  // namespace sluice::checks
