#pragma once
// The control API's wire format, shared by sluiced and sluicectl.
//
// One JSON object per line in each direction over a unix stream socket:
//   request:  {"api_version": 1, "command": "status", "args": {...}}
//   response: {"api_version": 1, "ok": true, "result": {...}}
//         or  {"api_version": 1, "ok": false, "error": {"code": "...", "message": "..."}}
// A connection may carry several requests in turn. api_version changes only when
// an existing field changes meaning; new fields and commands do not bump it.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace sluice::controlplane {

inline constexpr int kApiVersion = 1;
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;
inline constexpr const char* kDefaultApiSocket = "/run/sluice/sluiced.sock";

inline nlohmann::json api_ok(nlohmann::json result) {
    return {{"api_version", kApiVersion}, {"ok", true}, {"result", std::move(result)}};
}

inline nlohmann::json api_error(const std::string& code, const std::string& message) {
    return {{"api_version", kApiVersion},
            {"ok", false},
            {"error", {{"code", code}, {"message", message}}}};
}

}  // namespace sluice::controlplane
