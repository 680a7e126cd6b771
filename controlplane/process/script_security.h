#pragma once
// keepalived's enable_script_security: a script the daemon runs must not be
// replaceable by an unprivileged user.

#include <optional>
#include <string>

namespace sluice::process {

// nullopt when `path` is safe to run, otherwise why not. Refused: a relative
// path; a path that does not lead to an executable regular file; a file or a
// directory on the way (both as written and after resolving symlinks) that a
// user other than root or the daemon's own user could modify: owned by such a
// user, group-writable with a group other than root's or the daemon's, or
// world-writable. A directory with the sticky bit (/tmp) may be group- or
// world-writable: nobody can rename or replace what a trusted user owns in it.
// keepalived applies this to scripts that run as root; the caller decides.
std::optional<std::string> script_security_problem(const std::string& path);

}  // namespace sluice::process
