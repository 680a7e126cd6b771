#pragma once
// Health checkers: one attempt at a time against one backend, asynchronous on
// the control plane's Boost.Asio loop (call everything from its thread). No
// checker ever blocks: addresses are IPs, every wait has a steady_timer, and a
// slow or hung backend costs only its own socket and timer.
//
// TCP (connect and close), HTTP GET and HTTPS (status, optional body regex and
// MD5 digest; http_checker.h), MISC (a script through process::ProcessRunner),
// UDP (payload and reply) and DNS (query, NOERROR).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "checks/check_spec.h"

namespace sluice::process {
class ProcessRunner;
}

namespace sluice::checks {

class TlsContextCache;

struct CheckResult {
    bool success = false;
    // Short, for log lines: "connected", "status 200", "timeout after 2000 ms
    // (connecting)", "connection refused", "status 503", "body does not match",
    // "bad response: <parser error>", "TLS handshake: certificate verify
    // failed: ...", "script exit 1", "no reply within 200 ms", "rcode NXDOMAIN"...
    std::string reason;
    std::chrono::microseconds latency{0};  // start() to the result
    // MISC with dynamic weights: exit 2..255 sets the weight (code - 2).
    std::optional<std::uint32_t> dynamic_weight;
};

class Checker {
  public:
    using Done = std::function<void(CheckResult)>;

    virtual ~Checker() = default;  // cancels an attempt in progress
    Checker() = default;
    Checker(const Checker&) = delete;
    Checker& operator=(const Checker&) = delete;

    // Starts one attempt. `done` is called exactly once, from the event loop
    // and never from within start(), unless cancel() comes first or the
    // checker is destroyed. Starting again while an attempt runs cancels it.
    virtual void start(Done done) = 0;
    // Abandons the attempt: its socket is closed, its timer cancelled, `done`
    // is not called. (A MISC script keeps running until it exits or its
    // timeout kills it; its result is dropped.)
    virtual void cancel() = 0;
};

// A checker for spec.type. HTTPS contexts come from `tls` (one per CA file and
// verify setting, shared by every checker); the overload without a cache
// builds a context for the checker (reading the CA file each time).
std::unique_ptr<Checker> make_checker(boost::asio::io_context& io, process::ProcessRunner& runner,
                                      const CheckSpec& spec, const CheckTarget& target,
                                      TlsContextCache& tls);
std::unique_ptr<Checker> make_checker(boost::asio::io_context& io, process::ProcessRunner& runner,
                                      const CheckSpec& spec, const CheckTarget& target);

}  // namespace sluice::checks
