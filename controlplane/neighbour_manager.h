#pragma once
// Neighbour resolution on the control-plane thread: learns MACs from the
// workers' events, sends ARP requests (through the dataplane's control TX ring)
// for every backend and gateway next hop and for whatever a worker could not
// resolve, refreshes them, and publishes the table to the workers by RCU.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "controlplane/log.h"
#include "dataplane/dataplane.h"

namespace sluice::controlplane {

class NeighbourManager {
public:
    using Clock = std::chrono::steady_clock;

    NeighbourManager(dataplane::Dataplane& dataplane, Logger& log);

    // Next hops to resolve ahead of traffic: backends and gateways.
    void set_targets(const dataplane::forward::Snapshot& snapshot);

    // Further addresses to keep resolved (VRRP unicast peers): (ip, port index).
    void set_extra_targets(std::vector<std::pair<std::uint32_t, std::uint16_t>> targets);
    // The resolved MAC of `ip`, if any.
    std::optional<dataplane::packet::MacAddr> mac_of(std::uint32_t ip) const;

    // Drains worker events, sends due ARP requests, publishes on change.
    void poll(Clock::time_point now);

    std::size_t resolved() const { return entries_.size(); }

private:
    struct Entry {
        dataplane::packet::MacAddr mac;
        std::uint16_t port = 0;
        Clock::time_point learned;
    };
    void request(std::uint16_t port, std::uint32_t ip, Clock::time_point now);

    dataplane::Dataplane& dataplane_;
    Logger& log_;
    std::map<std::uint32_t, Entry> entries_;
    std::map<std::uint32_t, std::uint16_t> targets_;      // ip -> port index
    std::vector<std::pair<std::uint32_t, std::uint16_t>> extra_targets_;
    std::map<std::uint32_t, Clock::time_point> asked_;    // last ARP request per ip
    const dataplane::forward::Snapshot* snapshot_ = nullptr;
};

}  // namespace sluice::controlplane
