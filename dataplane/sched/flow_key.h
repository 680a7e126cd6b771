#pragma once
// The part of a new connection a scheduler may look at.

#include <cstdint>

namespace sluice::dataplane::sched {

struct FlowKey {
    std::uint32_t src_ip = 0;  // host byte order (client)
    std::uint32_t dst_ip = 0;  // host byte order (the VIP)
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint8_t protocol = 0;  // IPPROTO_TCP, IPPROTO_UDP
};

}  // namespace sluice::dataplane::sched
