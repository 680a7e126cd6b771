#pragma once
// The connection record (LVS struct ip_vs_conn, cut to what a per-worker
// table needs) and the values a new connection is created from.

#include <cstddef>
#include <cstdint>

#include "dataplane/conn/flow_key.h"
#include "dataplane/conn/tcp_state.h"

namespace sluice::dataplane::conn {

// LVS IP_VS_CONN_F_MASQ / _DROUTE / _TUNNEL.
enum class ForwardMethod : std::uint8_t { nat = 0, dr = 1, tun = 2 };

// A connection not attributed to any per-backend counter slot.
inline constexpr std::uint32_t kNoBackendSlot = 0xffffffffu;

// Bits of Connection::flags. All are owned by ConnTable; the owner reads them.
namespace conn_flag {
inline constexpr std::uint8_t kLive = 0x01;       // in use (else on the free list)
inline constexpr std::uint8_t kReplyKey = 0x02;   // indexed by its reply key too (NAT)
inline constexpr std::uint8_t kInputOnly = 0x04;  // LVS IP_VS_CONN_F_NOOUTPUT
inline constexpr std::uint8_t kInactive = 0x08;   // LVS IP_VS_CONN_F_INACTIVE
inline constexpr std::uint8_t kCounted = 0x10;    // holds one unit of a backend counter
}  // namespace conn_flag

// 88 bytes. Field order keeps the lookup compare (addresses, ports, proto)
// in the first 20 bytes and the per-packet writes (state, last_seen,
// counters) together; a record spans at most two cache lines.
//
// The reply key of a NAT connection is not stored: like LVS (ip_vs_conn_out_get
// matches daddr:dport -> caddr:cport) it is backend ip:port -> client ip:port.
struct Connection {
    // Identity.
    std::uint32_t client_ip;
    std::uint32_t vip_ip;
    std::uint32_t backend_ip;
    std::uint16_t client_port;
    std::uint16_t vip_port;
    std::uint16_t backend_port;
    std::uint8_t proto;
    ForwardMethod method;

    // Per-packet state.
    TcpState state;                // TcpState::none for non-TCP protocols
    std::uint8_t flags;            // conn_flag bits
    std::uint16_t timeouts_index;  // which Timeouts profile of the table applies
    std::uint32_t service_index;
    std::uint32_t backend_index;
    std::uint32_t backend_slot;  // index into the per-backend {active, inactive} array
    std::uint32_t last_seen;     // seconds (the caller's clock, modulo 2^32)

    // Timer wheel links (TimerWheel): the tick the record is filed under and
    // its neighbours in that slot's list (record indices). On the free list,
    // wheel_next links the free records.
    std::uint32_t wheel_tick;
    std::uint32_t wheel_next;
    std::uint32_t wheel_prev;

    std::uint32_t user;  // free for the owner (e.g. a SNAT address index); set at insert

    // Counters, indexed by Direction.
    std::uint64_t packets[2];
    std::uint64_t bytes[2];
};
static_assert(sizeof(Connection) == 88, "keep the record compact; see memory budget");
static_assert(offsetof(Connection, packets) == 56);

// The forward key: the client->VIP packet as seen on the front side.
constexpr FlowKey forward_key(const Connection& c) noexcept {
    return FlowKey{c.client_ip, c.vip_ip, c.client_port, c.vip_port, c.proto};
}

// The reply key: the backend->client packet as seen on the back side (NAT).
constexpr FlowKey reply_key(const Connection& c) noexcept {
    return FlowKey{c.backend_ip, c.client_ip, c.backend_port, c.client_port, c.proto};
}

// What the owner decides when it schedules a new connection. Client and VIP
// addresses come from the forward key.
struct ConnInit {
    std::uint32_t backend_ip = 0;
    std::uint16_t backend_port = 0;
    ForwardMethod method = ForwardMethod::nat;
    std::uint32_t service_index = 0;
    std::uint32_t backend_index = 0;
    std::uint32_t backend_slot = kNoBackendSlot;
    std::uint16_t timeouts_index = 0;
    // LVS creates connections in NONE and lets the first packet move them
    // (usually SYN -> SYN_RECV); other values serve e.g. state sync.
    // Ignored (forced to none) for non-TCP protocols.
    TcpState initial_state = TcpState::none;
    std::uint32_t user = 0;
};

}  // namespace sluice::dataplane::conn
