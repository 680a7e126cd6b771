#pragma once
// fork + execve of one script, with everything the child needs prepared in the
// parent: between fork and exec the child makes system calls only (no
// allocation, no locks, no NSS), as required in a multithreaded process.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "controlplane/process/credentials.h"
#include "controlplane/process/fd.h"

namespace sluice::process {

// The whole environment a script sees, besides SpawnRequest::extra_env.
inline constexpr const char* kScriptPath = "/usr/sbin:/usr/bin:/sbin:/bin";

struct SpawnRequest {
    // argv[0]: a path, or a bare name looked up in kScriptPath (whatever
    // extra_env says: the lookup happens in the parent).
    const std::vector<std::string>& argv;
    const std::vector<std::string>& extra_env;  // "NAME=value"; may replace PATH
    const Credentials* user = nullptr;          // null: keep the daemon's identity
    bool capture = false;                       // stdout+stderr to a pipe, else /dev/null
};

struct Spawned {
    pid_t pid = -1;   // leader of its own session and process group
    UniqueFd pidfd;   // readable once the child has exited
    UniqueFd output;  // read end of the stdout+stderr pipe when capturing
    UniqueFd report;  // non-blocking; see exec_failure()
};

// The child: a new session, the user's groups, gid and uid, stdin from
// /dev/null, every other descriptor closed, default signal dispositions, an
// empty signal mask, then execve. False with `error` when nothing was started.
bool spawn(const SpawnRequest& request, Spawned& out, std::string& error);

// Once the child has been reaped: why the child could not exec `program`
// (reported through `report`), or nullopt when it did exec.
std::optional<std::string> exec_failure(const UniqueFd& report, const std::string& program);

}  // namespace sluice::process
