#pragma once
// Fire-and-forget scripts of the control plane (VRRP notify, notify_up/down,
// quorum_up/down): the configured command line split keepalived-style, extra
// arguments appended, run as global.script_user with a timeout through the
// process runner; a failure to split, to start or a non-zero exit is logged,
// labelled with `what` ("notify", "notify_down", ...).

#include <string>
#include <vector>

#include "controlplane/config/model.h"
#include "controlplane/log.h"
#include "controlplane/process/process_runner.h"

namespace sluice::controlplane {

struct NotifyScript {
    const std::string& command;
    std::vector<std::string> args;  // appended to the command's own arguments
    std::string what;               // for log lines
    // keepalived's enable_script_security as root: refuse an unsafe script.
    bool check_security = false;
};

void run_notify_script(process::ProcessRunner& runner, Logger& log, const config::Global& global,
                       const NotifyScript& script);

}  // namespace sluice::controlplane
