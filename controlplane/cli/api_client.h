#pragma once
// A blocking client for sluiced's control API (see controlplane/api_protocol.h).

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

enum class CallStatus {
    ok,                 // `response` holds the daemon's answer (which may itself be an error)
    not_running,        // no socket, or nobody listening on it
    permission_denied,  // the socket exists but we may not connect
    failed,             // timeout, broken connection, unparsable answer
};

struct CallResult {
    CallStatus status = CallStatus::failed;
    nlohmann::json response;
    std::string error;  // for every status but ok: what went wrong, for humans
};

// Sends one request and waits up to `timeout` for its answer.
CallResult call_api(const std::string& socket_path, const std::string& command,
                    const nlohmann::json& args, std::chrono::milliseconds timeout);

}  // namespace sluice::cli
