#pragma once
// ARP for IPv4 over Ethernet (RFC 826): parse, answer in place, and build the
// requests used for neighbour resolution and VRRP gratuitous ARP.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/ipv4.h"
#include "dataplane/packet/mac_addr.h"
#include "dataplane/packet/parse.h"

namespace sluice::dataplane::packet {

enum class ArpStatus : std::uint8_t {
    ok,
    truncated,          // fewer than 28 bytes of ARP
    bad_hardware_type,  // htype != 1 (Ethernet)
    bad_protocol_type,  // ptype != 0x0800 (IPv4)
    bad_hardware_len,   // hlen != 6
    bad_protocol_len,   // plen != 4
    bad_opcode,         // neither request (1) nor reply (2)
    not_request,        // make_arp_reply() given a reply
    buffer_too_small,   // build_*(): the output cannot hold the frame
};
inline constexpr std::size_t kArpStatusCount = 9;
std::string_view arp_status_name(ArpStatus status) noexcept;

struct ArpPacket {
    std::uint16_t op = 0;  // kArpOpRequest or kArpOpReply
    MacAddr sender_mac;
    common::Ipv4Addr sender_ip;
    MacAddr target_mac;
    common::Ipv4Addr target_ip;

    // RFC 5227 s2.1.1: a probe has sender IP 0.0.0.0.
    bool is_probe() const noexcept { return sender_ip.value == 0; }
    // Gratuitous (RFC 5227 s3 "announcement"): sender IP == target IP.
    bool is_gratuitous() const noexcept { return sender_ip == target_ip; }
};

// Parses the ARP body at `arp` (the frame's l3_offset, after parse_frame()
// returned ParseStatus::arp), `len` bytes available. Trailing padding is fine.
ArpStatus parse_arp(const std::uint8_t* arp, std::uint32_t len, ArpPacket& out) noexcept;

// Turns the request in `frame` into our reply in place (RFC 826 "Packet
// Reception"): op = reply, target = the requester, sender = our_mac plus the
// IP that was asked for; Ethernet dst = requester's MAC, src = our_mac. The
// 802.1Q tag and frame length (padding) are kept. `meta` and `request` are
// parse_frame()/parse_arp() results for this frame; whether to answer (is the
// target one of our VIPs, are we VRRP master: RFC 5798 s8.1.2) is the caller's
// decision. Fails only with not_request.
ArpStatus make_arp_reply(std::uint8_t* frame, const PacketMeta& meta, const ArpPacket& request,
                         const MacAddr& our_mac) noexcept;

// Frame length of what the builders write: 14 (+4 with a tag) + 28, zero-padded
// to the Ethernet minimum of 60 bytes.
inline constexpr std::uint32_t kArpFrameLen = 60;

// Who-has request for neighbour resolution: broadcast, target MAC zero.
// `vlan_tci`, if given, adds an 802.1Q tag. Writes kArpFrameLen bytes to `out`
// and sets frame_len; fails only with buffer_too_small.
ArpStatus build_arp_request(std::span<std::uint8_t> out, const MacAddr& sender_mac,
                            common::Ipv4Addr sender_ip, common::Ipv4Addr target_ip,
                            std::optional<std::uint16_t> vlan_tci,
                            std::uint32_t& frame_len) noexcept;

// Gratuitous ARP announcing `vip` at `mac` (the VRRP virtual MAC when VRRP
// owns the address): a broadcast request with sender IP = target IP = vip and
// target MAC zero (RFC 5227 s3 "ARP Announcement"; RFC 5798 s6.4.1 has the new
// master broadcast one per VIP). Same output rules as build_arp_request().
ArpStatus build_gratuitous_arp(std::span<std::uint8_t> out, const MacAddr& mac,
                               common::Ipv4Addr vip, std::optional<std::uint16_t> vlan_tci,
                               std::uint32_t& frame_len) noexcept;

}  // namespace sluice::dataplane::packet
