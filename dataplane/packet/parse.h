#pragma once
// Frame parser for the dataplane hot path: Ethernet (+ one 802.1Q tag), then
// IPv4 and its TCP/UDP/ICMP header, into a PacketMeta of offsets and fields.
// Reads only within [data, data + len); never writes, allocates or throws.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/ipv4.h"

namespace sluice::dataplane::packet {

// Outcome of parse_frame(). A closed enum, dense from 0, so a worker can keep
// `std::array<std::uint64_t, kParseStatusCount>` drop counters indexed by it.
// Every value but `ok` is a reason not to forward the frame on the fast path.
enum class ParseStatus : std::uint8_t {
    ok,                  // IPv4, headers within bounds; meta fully set
    arp,                 // ARP (ethertype 0x0806): for the ARP handler, not a drop.
                         //   Only the L2 fields and l3_offset of meta are set.
    not_ip,              // any other ethertype, including IPv6 and a second (QinQ) tag
    truncated_l2,        // shorter than the Ethernet header (+ 802.1Q tag)
    truncated_l3,        // fewer than 20 bytes after the L2 header
    bad_ip_version,      // version field != 4
    bad_ip_header_len,   // IHL < 5 (RFC 791 s3.1: minimum value 5)
    bad_ip_total_len,    // total length < IHL*4, or > the bytes in the frame.
                         //   More bytes than total length is fine (Ethernet padding).
    bad_ip_checksum,     // RFC 791 s3.1 header checksum does not verify
    truncated_l4,        // IP payload shorter than the TCP (20), UDP (8) or ICMP (8)
                         //   header; includes RFC 1858 tiny first fragments
    bad_tcp_header_len,  // TCP data offset < 5, or beyond the end of the IP payload
};
inline constexpr std::size_t kParseStatusCount =
    static_cast<std::size_t>(ParseStatus::bad_tcp_header_len) + 1;

// Stable lower-case name of each status ("ok", "bad_ip_checksum", ...), for
// counter labels; "unknown" for a value outside the enum.
std::string_view parse_status_name(ParseStatus status) noexcept;

// Whether parse_frame() verifies the IPv4 header checksum. `trust` is for a
// caller that already knows (e.g. the NIC flagged RTE_MBUF_F_RX_IP_CKSUM_GOOD).
enum class IpChecksumCheck : std::uint8_t { verify, trust };

// Offsets are from the start of the frame. Addresses and ports are host order.
struct PacketMeta {
    // L2
    std::uint16_t l2_len = 0;      // 14, or 18 with an 802.1Q tag
    std::uint16_t ether_type = 0;  // after the tag, if any
    std::uint16_t vlan_tci = 0;    // PCP/DEI/VID as on the wire; valid if has_vlan
    bool has_vlan = false;

    // L3 (IPv4)
    std::uint16_t l3_offset = 0;     // == l2_len
    std::uint8_t ip_header_len = 0;  // bytes, 20..60; > 20 means IP options (parsed past)
    std::uint8_t ip_proto = 0;
    std::uint8_t ttl = 0;
    std::uint16_t ip_total_len = 0;  // from the header; the frame may hold padding after it
    common::Ipv4Addr src_ip;
    common::Ipv4Addr dst_ip;
    // Fragments (RFC 791 s2.3): is_fragment is true for every fragment (MF set
    // or offset != 0). A first fragment (offset 0) carries the L4 header and is
    // parsed like a whole packet; a non-first one has none: has_l4_header is
    // false, ports, tcp_flags and ICMP fields are 0, l4_payload_offset ==
    // l4_offset, and the status is still `ok`. What to do with it (drop,
    // forward by address, reassemble) is the caller's policy.
    bool is_fragment = false;
    bool dont_fragment = false;
    std::uint16_t fragment_offset = 0;  // in bytes (the wire field * 8)

    // L4
    bool has_l4_header = false;           // a TCP, UDP or ICMP header was parsed
    std::uint16_t l4_offset = 0;          // l3_offset + ip_header_len, for every protocol
    std::uint16_t l4_payload_offset = 0;  // after the TCP header + options / UDP / ICMP 8 bytes
    std::uint16_t src_port = 0;           // TCP/UDP only
    std::uint16_t dst_port = 0;
    std::uint8_t tcp_flags = 0;
    std::uint8_t icmp_type = 0;
    std::uint8_t icmp_code = 0;

    // IP payload length (L4 header + data) per the IP header.
    std::uint16_t l4_len() const noexcept {
        return static_cast<std::uint16_t>(ip_total_len - ip_header_len);
    }
};

// Parses `len` bytes of Ethernet frame (no FCS). On `ok` every field of meta is
// set; on `arp` the L2 fields and l3_offset; on any other status meta holds
// whatever was parsed before the fault and must not be used. Protocols other
// than TCP/UDP/ICMP parse `ok` with has_l4_header false. UDP length is not
// checked against the IP length: a lie there is the receiver's concern.
ParseStatus parse_frame(const std::uint8_t* data, std::uint32_t len, PacketMeta& meta,
                        IpChecksumCheck ip_checksum = IpChecksumCheck::verify) noexcept;

}  // namespace sluice::dataplane::packet
