#pragma once
// Idle timeouts per connection state, in seconds. A connection expires when
// it has seen no packet for the timeout of its current state.

#include <array>
#include <cstdint>

#include "dataplane/conn/flow_key.h"
#include "dataplane/conn/tcp_state.h"

namespace sluice::dataplane::conn {

struct Timeouts {
    std::array<std::uint32_t, kTcpStateCount> tcp{};  // indexed by TcpState
    std::uint32_t udp = 0;
    std::uint32_t icmp = 0;
    std::uint32_t other = 0;  // any other protocol (GRE, SCTP, ...)

    friend constexpr bool operator==(const Timeouts&, const Timeouts&) = default;
};

// The LVS defaults (ip_vs_proto_tcp.c tcp_timeouts[], ip_vs_proto_udp.c
// udp_timeouts[], ICMP 60 s). SYN_SENT keeps LVS's 120 s and SYN_RECV its
// 60 s, unchanged, so that `ipvsadm --timeout`-style settings and keepalived
// configurations mean the same thing here. SYN_SENT is only reached when the
// *server* opens (a SYN seen server->client first), which a load balancer
// almost never sees; a half-open client connection sits in SYN_RECV, 60 s.
// NONE is LVS's 2 s: a connection inserted but never given a valid first
// segment disappears quickly.
inline constexpr Timeouts kDefaultTimeouts = {
    .tcp = {{
        2,    // none
        900,  // established
        120,  // syn_sent
        60,   // syn_recv
        120,  // fin_wait
        120,  // time_wait
        10,   // close
        60,   // close_wait
        30,   // last_ack
        120,  // listen
        120,  // synack
    }},
    .udp = 300,
    .icmp = 60,
    .other = 300,
};

// Timeouts are whole seconds, at least 1 (0 would mean "expire before the
// first packet is forwarded") and at most kMaxTimeoutSeconds.
inline constexpr std::uint32_t kMaxTimeoutSeconds = 7 * 24 * 3600;

constexpr std::uint32_t clamp_timeout(std::uint32_t seconds) noexcept {
    if (seconds == 0) {
        return 1;
    }
    return seconds > kMaxTimeoutSeconds ? kMaxTimeoutSeconds : seconds;
}

constexpr Timeouts clamped(Timeouts t) noexcept {
    for (auto& s : t.tcp) {
        s = clamp_timeout(s);
    }
    t.udp = clamp_timeout(t.udp);
    t.icmp = clamp_timeout(t.icmp);
    t.other = clamp_timeout(t.other);
    return t;
}

constexpr std::uint32_t timeout_for(const Timeouts& t, std::uint8_t proto,
                                    TcpState state) noexcept {
    switch (proto) {
        case kProtoTcp: {
            const auto i = static_cast<std::size_t>(state);
            return i < kTcpStateCount ? t.tcp[i] : t.tcp[static_cast<std::size_t>(TcpState::close)];
        }
        case kProtoUdp:
            return t.udp;
        case kProtoIcmp:
            return t.icmp;
        default:
            return t.other;
    }
}

}  // namespace sluice::dataplane::conn
