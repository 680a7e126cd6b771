#pragma once
// The compiled, immutable configuration the workers forward by. Built by the
// control plane (controlplane/snapshot_builder), published by RCU, never
// modified after publication. Plain types only: no DPDK, no config types.

#include <bitset>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/ipv4.h"
#include "dataplane/conn/connection.h"
#include "dataplane/conn/timeouts.h"
#include "dataplane/packet/mac_addr.h"
#include "dataplane/sched/service_scheduler.h"

namespace sluice::dataplane::forward {

inline constexpr std::uint32_t kMaxServiceSlots = 1024;  // stable counter slots per worker
inline constexpr std::uint32_t kMaxBackendSlots = 65536;

struct PortView {
    std::uint16_t port_id = 0;  // DPDK port id
    packet::MacAddr mac;
    std::vector<common::Ipv4Prefix> addresses;  // the appliance's own, first = primary
    std::optional<common::Ipv4Addr> gateway;
    std::uint16_t mtu = 1500;
};

struct BackendView {
    common::Ipv4Addr ip;
    std::uint16_t port = 0;
    std::uint32_t weight = 0;
    std::uint16_t out_port = 0;  // index into Snapshot::ports
    common::Ipv4Addr next_hop;   // ip itself when on-link, else the port's gateway
    std::uint32_t slot = 0;      // stable counter slot (< kMaxBackendSlots)
    // Health. A down backend takes no new connections (the scheduler was built
    // with it unavailable); its existing ones carry on unless the service has
    // reset_on_backend_down. The sorry server is always up.
    bool up = true;
};

struct ServiceView {
    common::Ipv4Addr vip;
    std::uint16_t port = 0;
    std::uint8_t proto = 6;  // IPPROTO_TCP / IPPROTO_UDP
    conn::ForwardMethod method = conn::ForwardMethod::nat;
    std::uint16_t in_port = 0;  // index into Snapshot::ports: where clients reach the VIP
    // The real servers (indices as the scheduler's), then the sorry server if any.
    std::vector<BackendView> backends;
    std::optional<sched::ServiceScheduler>
        scheduler;  // always set by the builder; real servers only
    // Index into backends of the sorry server (keepalived sorry_server): it takes
    // the new connections the scheduler finds no backend for. Never scheduled.
    std::optional<std::uint32_t> sorry_index;
    // Existing connections to a backend that is down are reset (TCP: RST to the
    // client) instead of carrying on.
    bool reset_on_backend_down = false;
    std::uint16_t timeouts_index = 0;  // profile in every worker's ConnTable
    std::uint32_t persistence_timeout = 0;
    common::Ipv4Addr persistence_mask{0xffffffffu};
    std::uint32_t slot = 0;  // stable counter slot (< kMaxServiceSlots)
};

struct ServiceKey {
    std::uint32_t vip = 0;
    std::uint16_t port = 0;
    std::uint8_t proto = 0;
    constexpr auto operator<=>(const ServiceKey&) const = default;
};

struct Snapshot {
    std::uint64_t generation = 0;
    std::vector<PortView> ports;
    std::vector<ServiceView> services;
    // (key, index into services), sorted by key: binary search on the hot path.
    std::vector<std::pair<ServiceKey, std::uint32_t>> service_index;
    // VIPs this node answers ARP for and forwards (VRRP master, or no VRRP). Sorted.
    std::vector<std::uint32_t> owned_vips;
    // Every VIP, owned or not: service VIPs and VRRP virtual addresses (finalize()
    // adds the services' and owned ones). Sorted.
    std::vector<std::uint32_t> vips;
    // Owned VIPs answered with a VRRP virtual MAC instead of the port's. Sorted by VIP.
    std::vector<std::pair<std::uint32_t, packet::MacAddr>> vip_macs;
    // Changes only when services, backends or timeouts change (a recompiled
    // configuration); a VRRP ownership flip keeps it, so workers keep their
    // persistence bindings across failovers of the other VIPs.
    std::uint64_t services_generation = 0;
    // Per-service timeout profiles, installed in each worker's ConnTable.
    std::vector<conn::Timeouts> timeouts;
    // Backend counter slots whose connections must be reset: down backends of
    // services with reset_on_backend_down (finalize() fills it).
    std::bitset<kMaxBackendSlots> reset_slots;
    // LVS net.ipv4.vs.sloppy_tcp: a TCP segment without RST opens a connection
    // to a virtual service even when it is not a SYN (connections picked up
    // mid-stream, e.g. after a failover without connection sync). Off: only a
    // SYN does, and anything else of an unknown flow is dropped (no_connection).
    bool sloppy_tcp = false;

    const ServiceView* find_service(std::uint32_t vip, std::uint16_t port,
                                    std::uint8_t proto) const noexcept;
    bool owns_vip(std::uint32_t vip) const noexcept;
    // The virtual MAC to answer ARP for `vip` with, or null for the port's MAC.
    const packet::MacAddr* vip_mac(std::uint32_t vip) const noexcept;
    // Index of the port that owns `ip` as one of its addresses, or -1.
    int port_owning(std::uint32_t ip) const noexcept;
    // Whether `ip` is a VIP of any service or VRRP instance (owned or not).
    bool is_vip(std::uint32_t ip) const noexcept;
    // Whether connections of backend slot `slot` must be reset. O(1).
    bool must_reset(std::uint32_t slot) const noexcept {
        return slot < kMaxBackendSlots && reset_slots[slot];
    }

    // Fills service_index, vips and reset_slots, sorts owned_vips and vip_macs;
    // call once after filling services.
    void finalize();
};

struct Route {
    std::uint16_t port = 0;  // index into Snapshot::ports
    common::Ipv4Addr next_hop;
};

// Where a packet to `dst` leaves: the port with an address whose subnet holds
// dst (next hop = dst), else the first port with a gateway; nullopt: no route.
std::optional<Route> route(const Snapshot& snapshot, common::Ipv4Addr dst) noexcept;

// The next hop for `dst` leaving through `port`: dst when on-link, else the
// port's gateway, else nullopt (no route).
std::optional<common::Ipv4Addr> next_hop(const PortView& port, common::Ipv4Addr dst) noexcept;

}  // namespace sluice::dataplane::forward
