#pragma once
// Validation of a received IPv4 packet carrying VRRP, against the local
// instances (RFC 3768 s7.1, RFC 5798 s7.1, keepalived 2.2.7's vrrp_check_packet).
// Pure: the caller hands over the bytes from the IPv4 header on and the port
// the frame arrived on, and counts/logs what comes back.
//
// Rules, in the order they are applied (the first that fails decides):
//  1. IPv4 header. Fewer than 20 bytes, or total length beyond the bytes
//     given -> truncated. Version != 4, IHL < 5, IHL beyond the total length,
//     a wrong header checksum, or a fragment (MF or offset != 0; VRRP is never
//     fragmented) -> bad_ip_header. Protocol != 112 -> not_vrrp. Bytes after
//     the total length (Ethernet padding) are ignored.
//  2. Fewer than 8 bytes of VRRP -> truncated.
//  3. The instance: those on `port` with the packet's VRID. None ->
//     unknown_vrid (instance -1). VRRP version neither 2 nor 3 -> bad_version.
//     If one of them runs the packet's version it is chosen; otherwise
//     version_mismatch (keepalived cannot peer v2 with v3 either).
//     From here on `instance` is set, so drops can be counted per instance.
//  4. vrrp::decode: bad_ttl, bad_type, truncated, bad_length, bad_checksum
//     (v3: both checksum forms accepted), zero_interval, bad_count. The TTL
//     must be 255 only for multicast instances: keepalived 2.2.7 skips the
//     check for unicast peers, which may be routed, and so do we.
//  5. own_advert: the source is our own primary address (our multicast advert
//     looped back, or a peer misconfigured with our address).
//  6. wrong_destination. Multicast instance: the destination must be
//     224.0.0.18, or our primary address (a peer that lists us as a unicast
//     peer still reaches us; dropping it would turn a half-converted pair into
//     split brain). Unicast instance: the destination must be our primary
//     address, which is where a peer's unicast_peer entry for us points;
//     multicast adverts of the same VRID are someone else's and are dropped.
//  7. unknown_peer: unicast instance and the source is not one of its peers.
//  8. auth_mismatch: vrrp::auth_matches (v2 auth type and PASS password; a v3
//     advert matches only when the instance expects no authentication).
//  9. interval_mismatch (v2 only): advertised seconds != ours. v3 backups adopt
//     the master's interval instead.
// Then the advert is accepted (drop == ok). If its address list differs from
// our VIPs as a set, `addresses_differ` is set but the advert is NOT dropped:
// keepalived 2.2.7 drops such adverts (unless vrrp_skip_check_adv_addr), which
// turns a VIP typo on one node into two masters, the worst outcome for a load
// balancer. We accept it so that the election still works, and the caller
// counts and logs the difference loudly instead.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "vrrp/advert.h"
#include "vrrp/rx_drop.h"
#include "vrrp/state_machine.h"

namespace sluice::vrrp {

// What the receive path needs to know about one local instance.
struct RxInstance {
    std::uint16_t port = 0;  // dataplane port index
    std::uint8_t vrid = 0;
    std::uint8_t version = 3;                     // 2 or 3
    AuthType auth = AuthType::none;               // v2 only
    std::string auth_pass;                        // PASS: up to 8 characters
    std::uint32_t advert_interval_cs = 100;       // ours; v2 compares whole seconds
    std::vector<common::Ipv4Addr> unicast_peers;  // empty = multicast
    std::vector<common::Ipv4Addr> vips;
    common::Ipv4Addr primary_address;  // our source address
};

struct RxResult {
    RxDrop drop = RxDrop::ok;
    int instance = -1;     // index into the instances given; -1 before rule 3
    Advert advert;         // filled once decode succeeded (rule 4)
    common::Ipv4Addr src;  // from the IPv4 header, once it parsed
    common::Ipv4Addr dst;
    bool addresses_differ = false;  // only with drop == ok

    bool ok() const { return drop == RxDrop::ok; }
};

RxResult receive(std::span<const std::uint8_t> ipv4_packet, std::uint16_t port,
                 std::span<const RxInstance> instances);

// True when the two address lists differ as sets (order and duplicates ignored).
bool addresses_differ(std::span<const common::Ipv4Addr> advertised,
                      std::span<const common::Ipv4Addr> ours);

// The state machine's view of an accepted advert: the interval in centiseconds
// (v2 seconds x 100).
ReceivedAdvert to_received_advert(const RxResult& r);

}  // namespace sluice::vrrp
