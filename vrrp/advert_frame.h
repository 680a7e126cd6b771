#pragma once
// A complete Ethernet + IPv4 + VRRP advertisement frame, ready to transmit.
// Pure: returns bytes, the caller sends them.
//
// IPv4 header as keepalived 2.2.7 sends it: version 4, IHL 5, TOS 0xc0
// (precedence "internetwork control"), DF clear, TTL 255, protocol 112, the IP id
// the caller chooses, correct header checksum. The VRRP message is vrrp::encode
// (v3: the IPv4 pseudo-header checksum with the real destination, so unicast
// adverts carry the unicast peer's address in it). Frames are zero-padded to
// the 60-byte Ethernet minimum, as every frame the dataplane builds.

#include <cstdint>
#include <optional>
#include <vector>

#include "common/ipv4.h"
#include "dataplane/packet/mac_addr.h"
#include "vrrp/advert.h"

namespace sluice::vrrp {

inline constexpr std::uint8_t kVrrpTos = 0xc0;

// RFC 5798 s7.3: the IPv4 virtual router MAC, 00-00-5E-00-01-{VRID}.
constexpr dataplane::packet::MacAddr virtual_mac(std::uint8_t vrid) {
    return dataplane::packet::MacAddr{{0x00, 0x00, 0x5e, 0x00, 0x01, vrid}};
}

// The Ethernet group address of 224.0.0.18 (RFC 1112 s6.4): 01-00-5E-00-00-12.
constexpr dataplane::packet::MacAddr multicast_mac() {
    return dataplane::packet::MacAddr{{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12}};
}

struct FrameAddressing {
    dataplane::packet::MacAddr src_mac;  // the port's MAC, or virtual_mac() with use_vmac
    dataplane::packet::MacAddr dst_mac;  // multicast_mac(), or the unicast peer's MAC
    common::Ipv4Addr src_ip;             // our primary (or unicast_src_ip) address
    common::Ipv4Addr dst_ip;             // kVrrpGroup, or the unicast peer
    std::uint16_t ip_id = 0;
    std::optional<std::uint16_t> vlan_tci;  // adds an 802.1Q tag when set
};

// Empty when vrrp::encode cannot encode the advert (see advert.h).
std::vector<std::uint8_t> build_advert_frame(const Advert& advert, const FrameAddressing& addr);

}  // namespace sluice::vrrp
