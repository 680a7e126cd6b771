#pragma once
// Which worker owns a packet's connection, so that with several workers both
// directions of a NAT connection meet in the same connection table whatever
// queue the NIC (or af_packet fanout) delivered them to.
//
// The owner is a hash of the client endpoint: the source of a packet to a
// virtual service, the destination of anything else (a reply from a backend
// goes to the client). Both directions of a connection name the same client
// ip:port, so they hash alike. Packets without a client endpoint (ARP, ICMP,
// malformed frames) are handled where they arrive.

#include <cstdint>
#include <optional>

#include "dataplane/forward/snapshot.h"

namespace sluice::dataplane::forward {

// The worker (0..workers-1) that must process this frame, or nullopt when any
// worker may. Pure; parses the frame (cheap: ~5 ns).
std::optional<std::uint32_t> owning_worker(const std::uint8_t* data, std::uint32_t len, const Snapshot& snapshot,
                                           std::uint32_t workers) noexcept;

// The owner of a client endpoint; exposed for tests.
std::uint32_t worker_for_client(std::uint32_t client_ip, std::uint16_t client_port, std::uint32_t workers) noexcept;

}  // namespace sluice::dataplane::forward
