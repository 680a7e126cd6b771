#include "controlplane/notify_script.h"

#include <unistd.h>

#include <chrono>

#include "controlplane/process/script_security.h"
#include "controlplane/process/split_command.h"

namespace sluice::controlplane {

namespace {
// Notify scripts are fire-and-forget; one that hangs is killed after this.
constexpr std::chrono::milliseconds kNotifyTimeout{30'000};
}  // namespace

void run_notify_script(process::ProcessRunner& runner, Logger& log, const config::Global& global,
                       const NotifyScript& script) {
    std::string error;
    auto argv = process::split_command(script.command, error);
    if (!error.empty() || argv.empty()) {
        log.error(script.what + " script '" + script.command + "': " + (error.empty() ? "empty" : error));
        return;
    }
    if (script.check_security && global.enable_script_security && ::geteuid() == 0) {
        if (const auto problem = process::script_security_problem(argv.front())) {
            log.error(script.what + " script '" + script.command + "' not run: " + *problem +
                      " (enable_script_security)");
            return;
        }
    }
    argv.insert(argv.end(), script.args.begin(), script.args.end());
    process::ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.user = global.script_user;
    spec.timeout = kNotifyTimeout;
    runner.run(std::move(spec), [&log, command = script.command, what = script.what](const process::ProcessResult& r) {
        if (!r.succeeded()) log.warning(what + " script '" + command + "' " + process::describe(r));
    });
}

}  // namespace sluice::controlplane
