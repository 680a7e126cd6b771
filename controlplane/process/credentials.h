#pragma once
// A user's identity, looked up once in the parent so that a child between fork
// and exec never calls into NSS (which may lock, allocate or talk to a server).

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace sluice::process {

struct Credentials {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;              // primary group
    std::vector<gid_t> groups;  // supplementary groups, the primary one included
};

// getpwnam_r + getgrouplist. nullopt with `error` ("unknown user 'x'") when the
// user does not exist or the lookup failed. May block on NSS: call it once per
// user, not per script run.
std::optional<Credentials> resolve_user(const std::string& name, std::string& error);

}  // namespace sluice::process
