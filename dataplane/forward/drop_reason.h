#pragma once
// Every packet the pipeline does not forward is counted under one of these.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::dataplane::forward {

enum class DropReason : std::uint8_t {
    bad_header,            // malformed Ethernet/IPv4/L4 (detail: parse-status counters)
    not_ip,                // neither IPv4 nor ARP (IPv6, LLDP, ...)
    bad_arp,               // malformed ARP
    arp_not_for_us,        // ARP request for an address we do not own (normal on a LAN)
    fragment,              // IP fragments are not forwarded yet
    not_for_us,            // IPv4 to no VIP, own address or tracked connection
    host_bound,            // for the appliance's own address but not handled by the dataplane
    vip_not_owned,         // VIP traffic while this node is not the VRRP master
    no_connection,         // TCP without SYN and no tracked connection
    no_backend,            // no eligible backend (all down or drained) and no sorry server
    table_full,            // connection table full: new connection refused
    conn_insert_failed,    // inconsistent insert (a bug if it ever counts)
    ttl_exceeded,          // TTL would reach 0
    no_route,              // destination off-link and the port has no gateway
    unresolved_neighbour,  // next hop's MAC still unknown after waiting kPendingWaitS (or the wait queue was full)
    too_big,               // TUN: encapsulated packet exceeds the MTU with DF set
    needs_fragmentation,   // TUN: exceeds the MTU, DF clear; we do not fragment
    no_headroom,           // TUN: mbuf headroom too small for the outer header
    icmp_unsupported,      // ICMP other than echo to a VIP or own address
    tx_full,               // the port's TX queue was full
    event_ring_full,       // a neighbour event could not be queued to the control plane
    no_config,             // received before the first configuration was published
    multi_segment,         // chained mbufs (jumbo frames) are not handled yet
    redirect_full,         // the owning worker's redirect ring was full
    punt_full,             // the punt ring to the control plane (VRRP adverts) was full
    backend_reset,         // a packet of a connection to a down backend whose service has
                           //   reset_on_backend_down: the connection is removed; a client's TCP
                           //   segment is answered with a RST (counted in resets_sent as well)
    count_,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::count_);

std::string_view drop_reason_name(DropReason reason) noexcept;

}  // namespace sluice::dataplane::forward
