#pragma once
// What one health checker checks: its settings (CheckSpec, independent of the
// config model; the caller converts) and the backend it checks (CheckTarget).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checks/dns_message.h"
#include "checks/status_ranges.h"
#include "common/ipv4.h"

namespace sluice::checks {

enum class CheckType { tcp, http, https, misc, udp, dns };

struct HttpCheckSpec {  // http and https
    std::string path = "/";
    std::vector<StatusRange> status_codes;  // empty: 200-299
    std::string virtualhost;                // Host field; empty: address[:port]
    std::string body_regex;                 // POSIX extended, searched in the body (body_regex.h)
    std::string digest;                     // MD5 hex of the whole body; empty: not checked
};

struct TlsCheckSpec {     // https
    bool verify = false;  // verify the chain (and the name when there is one)
    std::string ca_file;  // PEM; empty with verify: the system's default CA paths
    std::string sni;      // server name sent and verified; empty: virtualhost, if any
};

struct MiscCheckSpec {
    std::vector<std::string> argv;  // already split (process::split_command)
    std::chrono::microseconds timeout{std::chrono::seconds(5)};  // must be positive
    bool dynamic = false;  // exit 2..255: up with weight code - 2
    std::string user;      // resolved by the caller; empty: the daemon's own user
};

struct UdpCheckSpec {
    std::string payload;        // bytes sent (may be empty: an empty datagram)
    std::string require_reply;  // empty: any reply; else the reply must begin with it
};

struct DnsCheckSpec {
    std::string name;                  // queried name, dotted
    std::uint16_t type = dns_type::a;  // parse_dns_type("AAAA") etc.
    bool require_answer = false;       // also need an answer record of `type`
};

struct CheckSpec {
    CheckType type = CheckType::tcp;
    // The deadline of one whole attempt (connect, TLS handshake, request and
    // response; for UDP and DNS the reply); MISC uses misc.timeout instead.
    // Must be positive: make_checker() turns a zero or negative deadline
    // into a checker that always fails, saying so.
    std::chrono::microseconds connect_timeout{std::chrono::seconds(5)};
    HttpCheckSpec http;
    TlsCheckSpec tls;
    MiscCheckSpec misc;
    UdpCheckSpec udp;
    DnsCheckSpec dns;
};

struct CheckTarget {
    common::Ipv4Addr address;
    std::uint16_t port = 0;                  // connect_port, or the real server's port
    std::optional<common::Ipv4Addr> bindto;  // source address of the check
};

}  // namespace sluice::checks
