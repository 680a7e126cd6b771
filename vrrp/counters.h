#pragma once
// Per-instance VRRP counters, as plain values for the status API, with helpers
// that count what the pure pieces return (receive() results, state machine
// actions). Names are stable snake_case: they are the API's keys.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "vrrp/receive.h"
#include "vrrp/rx_drop.h"
#include "vrrp/state_machine.h"

namespace sluice::vrrp {

struct InstanceCounters {
    std::uint64_t adverts_sent = 0;
    std::uint64_t adverts_received = 0;  // accepted (receive() said ok)
    std::uint64_t became_master = 0;
    std::uint64_t released_master = 0;  // left MASTER, for any reason
    std::uint64_t priority_zero_sent = 0;
    std::uint64_t priority_zero_received = 0;
    std::uint64_t garps_sent = 0;        // frames: counted by whoever sends them
    std::uint64_t addresses_differ = 0;  // accepted adverts with another VIP list
    std::uint64_t send_failed = 0;       // frames the dataplane did not take
    std::uint64_t peer_unresolved = 0;   // unicast adverts not sent: no MAC for the peer
    std::array<std::uint64_t, kRxDropCount> drops{};  // by RxDrop; drops[ok] stays 0

    std::uint64_t& drop(RxDrop d) { return drops[drop_index(d)]; }
    std::uint64_t drop(RxDrop d) const { return drops[drop_index(d)]; }
    std::uint64_t total_drops() const {
        std::uint64_t n = 0;
        for (std::size_t i = 1; i < kRxDropCount; ++i)
            n += drops[i];
        return n;
    }
};

inline constexpr std::size_t kScalarCounterCount = 10;

// Calls f(name, value) for each scalar counter, in declaration order.
template <typename F>
void for_each_counter(const InstanceCounters& c, F&& f) {
    f(std::string_view{"adverts_sent"}, c.adverts_sent);
    f(std::string_view{"adverts_received"}, c.adverts_received);
    f(std::string_view{"became_master"}, c.became_master);
    f(std::string_view{"released_master"}, c.released_master);
    f(std::string_view{"priority_zero_sent"}, c.priority_zero_sent);
    f(std::string_view{"priority_zero_received"}, c.priority_zero_received);
    f(std::string_view{"garps_sent"}, c.garps_sent);
    f(std::string_view{"addresses_differ"}, c.addresses_differ);
    f(std::string_view{"send_failed"}, c.send_failed);
    f(std::string_view{"peer_unresolved"}, c.peer_unresolved);
}

// Calls f(reason name, value) for each drop reason (not `ok`), in enum order.
template <typename F>
void for_each_drop(const InstanceCounters& c, F&& f) {
    for (std::size_t i = 1; i < kRxDropCount; ++i)
        f(kRxDropNames[i], c.drops[i]);
}

// Every counter by name, for the status API: the scalars above, then each drop
// reason under its own name (to_string(RxDrop); all names are distinct).
std::map<std::string, std::uint64_t> counters_to_map(const InstanceCounters& c);

// Counts one receive() result: a drop by its reason, or an accepted advert
// (plus priority_zero_received and addresses_differ when they apply).
void count_received(InstanceCounters& c, const RxResult& r);

// Counts what the state machine returned for one event: adverts_sent and
// priority_zero_sent from send_advert actions, became_master/released_master
// from the state before and after. garps_sent is not counted here (one
// send_garp action becomes several frames).
void count_actions(InstanceCounters& c, const Actions& a, State before, State after);

}  // namespace sluice::vrrp
