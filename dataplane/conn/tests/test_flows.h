#pragma once
// Flow and connection builders shared by the conn tests.

#include <cstdint>
#include <optional>

#include "dataplane/conn/conn_table.h"

namespace sluice::dataplane::conn::flows {

inline constexpr std::uint32_t kVip = 0xc6120001;      // 198.18.0.1
inline constexpr std::uint32_t kBackend = 0x0a000002;  // 10.0.0.2
inline constexpr std::uint16_t kVipPort = 80;
inline constexpr std::uint16_t kBackendPort = 8080;

// Client n: 203.0.113.x / 100.64.x.x style, distinct per n.
constexpr std::uint32_t client_ip(std::uint32_t n) {
    return 0x64400000u + (n >> 8);
}
constexpr std::uint16_t client_port(std::uint32_t n) {
    return static_cast<std::uint16_t>(1024 + (n & 0xff));
}

constexpr FlowKey forward(std::uint32_t n, std::uint8_t proto = kProtoTcp) {
    return FlowKey{client_ip(n), kVip, client_port(n), kVipPort, proto};
}
constexpr FlowKey reply(std::uint32_t n, std::uint8_t proto = kProtoTcp) {
    return FlowKey{kBackend, client_ip(n), kBackendPort, client_port(n), proto};
}

inline ConnInit nat_init(std::uint32_t backend_slot = kNoBackendSlot, std::uint16_t profile = 0) {
    ConnInit init;
    init.backend_ip = kBackend;
    init.backend_port = kBackendPort;
    init.method = ForwardMethod::nat;
    init.service_index = 3;
    init.backend_index = 7;
    init.backend_slot = backend_slot;
    init.timeouts_index = profile;
    return init;
}

inline ConnInit dr_init(std::uint32_t backend_slot = kNoBackendSlot) {
    ConnInit init = nat_init(backend_slot);
    init.method = ForwardMethod::dr;
    init.backend_port = kVipPort;  // DR keeps the destination port
    return init;
}

// A NAT connection for client n, inserted at `now`.
inline InsertResult add_nat(ConnTable& t, std::uint32_t n, std::uint64_t now,
                            std::uint8_t proto = kProtoTcp, std::uint32_t slot = kNoBackendSlot,
                            std::uint16_t profile = 0) {
    return t.insert(forward(n, proto), reply(n, proto), nat_init(slot, profile), now);
}

inline InsertResult add_dr(ConnTable& t, std::uint32_t n, std::uint64_t now,
                           std::uint32_t slot = kNoBackendSlot) {
    return t.insert(forward(n), std::nullopt, dr_init(slot), now);
}

}  // namespace sluice::dataplane::conn::flows
