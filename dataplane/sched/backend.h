#pragma once
// What a scheduler knows about one backend (LVS "real server", keepalived
// `real_server`) of one service: its weight and its health. Backends are
// indexed 0..N-1 in the order the control plane lists them; every scheduler
// answers with such an index.

#include <cstdint>

namespace sluice::dataplane::sched {

inline constexpr std::uint32_t kMaxBackends = 4096;  // per service; indices fit std::uint16_t
inline constexpr std::uint32_t kMaxWeight = 65535;   // keepalived `weight` 0..65535

// Returned by every pick and lookup when no backend may take the connection.
inline constexpr std::uint32_t kNoBackend = 0xffff'ffff;

struct BackendInfo {
    std::uint32_t weight = 0;  // 0..kMaxWeight; 0 drains: never chosen for new connections
    bool available = false;    // health: a down backend is never chosen
};

// LVS skips a destination with weight 0 or IP_VS_DEST_F_OVERLOAD; `available`
// plays the part of the overload flag (keepalived removes or inhibits dead ones).
constexpr bool is_eligible(const BackendInfo& b) noexcept {
    return b.weight > 0 && b.available;
}

// A stable identity for a backend, used by Maglev to derive its permutation so
// that every process (and every appliance) builds the same table: IPv4 and
// port in host byte order packed as 0x0000'IIII'IIII'PPPP.
constexpr std::uint64_t backend_key(std::uint32_t ipv4, std::uint16_t port) noexcept {
    return (std::uint64_t{ipv4} << 16) | port;
}

}  // namespace sluice::dataplane::sched
