#pragma once
// ICMPv4 (RFC 792) on the dataplane: answering echo requests in place,
// locating and NAT-translating the packet quoted in an ICMP error, and building
// errors (fragmentation needed, time exceeded) about a packet we cannot forward.
//
// Precondition wherever a PacketMeta is taken: parse_frame() returned `ok` for
// these bytes (so the outer IPv4 packet lies within the frame).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/ipv4.h"
#include "dataplane/packet/parse.h"

namespace sluice::dataplane::packet {

enum class IcmpStatus : std::uint8_t {
    ok,
    not_icmp,              // IP protocol != 1, or no ICMP header parsed
    not_echo_request,      // make_echo_reply(): type != 8
    not_error,             // parse_icmp_error(): type not 3, 11 or 12
    fragmented,            // the ICMP message is IP-fragmented (we do not reassemble)
    truncated_embedded,    // quoted packet shorter than its IP header, or than the
                           //   8 bytes of TCP/UDP/ICMP header RFC 792 requires
    bad_embedded_packet,   // quoted packet: version != 4, IHL < 5 or total < IHL*4
    bad_offending_packet,  // build_*(): not a valid IPv4 header in offending_len bytes
    suppressed,            // build_*(): RFC 1122 s3.2.2 forbids an error about this
                           //   packet (an ICMP error, a non-first fragment, or a
                           //   source/destination that is not a unicast host)
    buffer_too_small,      // build_*(): `out` cannot hold the packet
};
inline constexpr std::size_t kIcmpStatusCount = 10;
std::string_view icmp_status_name(IcmpStatus status) noexcept;

// --- Echo (RFC 792 "Echo or Echo Reply Message") ----------------------------

// TTL of the packets this module originates or answers with.
inline constexpr std::uint8_t kIcmpReplyTtl = 64;

// Echo request -> echo reply in place: swap IP src/dst (the header checksum is
// a commutative sum, so the swap does not change it), type 8 -> 0 with an
// RFC 1624 ICMP checksum update, TTL = 64 with an IP checksum update.
// Identifier, sequence, data and any IP options are reflected unchanged. L2 is
// not touched: the caller sets the MACs. `meta` is updated (addresses, ttl,
// icmp_type). Fails with not_icmp, not_echo_request or fragmented.
IcmpStatus make_echo_reply(std::uint8_t* data, PacketMeta& meta) noexcept;

// --- Errors: the quoted packet ----------------------------------------------

// The IPv4 packet quoted in an ICMP error (RFC 792: its IP header + at least
// the first 8 bytes of its data). Offsets are from the frame start.
struct EmbeddedPacket {
    std::uint16_t ip_offset = 0;
    std::uint8_t ip_header_len = 0;
    std::uint8_t ip_proto = 0;
    std::uint16_t ip_total_len = 0;  // of the original packet, as quoted
    std::uint16_t l4_offset = 0;
    std::uint16_t quoted_l4_len = 0;  // L4 bytes actually present (<= total - IHL)
    common::Ipv4Addr src_ip;
    common::Ipv4Addr dst_ip;
    // TCP/UDP ports (or, for quoted ICMP, 0). has_l4_header is false when the
    // quoted packet is a non-first fragment or of another protocol.
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    bool has_l4_header = false;
};

// Locates the packet quoted by an ICMP destination unreachable (3), time
// exceeded (11) or parameter problem (12). Reads only within the outer IP
// packet. Fails with not_icmp, not_error, fragmented, truncated_embedded or
// bad_embedded_packet. The quoted header's checksum is not verified (routers
// may quote a header they already altered).
IcmpStatus parse_icmp_error(const std::uint8_t* data, const PacketMeta& meta,
                            EmbeddedPacket& out) noexcept;

// NAT translation of the quoted packet (RFC 3022 s4.3, RFC 5508 s4): set its
// source (or destination) address and, when it has a TCP/UDP header, port.
// Fixes the quoted IP header checksum and the outer ICMP checksum incrementally.
// The quoted TCP/UDP checksum (pseudo-header + port) is updated only when the
// checksum field is inside the quote (always for UDP; TCP needs 18 quoted
// bytes); a quoted UDP checksum of 0 stays 0. `emb` must come from
// parse_icmp_error() on these bytes and is updated. The outer IP header is the
// caller's: translate it with rewrite_source()/rewrite_destination() (nat.h),
// which leave the ICMP checksum alone since ICMP has no pseudo-header.
void rewrite_embedded_source(std::uint8_t* data, const PacketMeta& meta, EmbeddedPacket& emb,
                             common::Ipv4Addr new_ip, std::uint16_t new_port) noexcept;
void rewrite_embedded_destination(std::uint8_t* data, const PacketMeta& meta, EmbeddedPacket& emb,
                                  common::Ipv4Addr new_ip, std::uint16_t new_port) noexcept;

// --- Errors: building -------------------------------------------------------

// Length of the IP packet an error about `offending` needs: 20 + 8 + quote.
inline constexpr std::uint32_t kIcmpErrorOverhead = 28;
// We quote the IP header + 8 bytes (RFC 792), not more (RFC 1812 s4.3.2.3 allows
// up to 576 bytes in all; 8 bytes carries the ports, which is what peers use).
inline constexpr std::uint32_t kIcmpErrorQuotedL4 = 8;

// Builds an IPv4 packet (no L2: the caller writes Ethernet in front of `out`)
// carrying an ICMP error about the IPv4 packet at `offending_ip`
// (`offending_len` bytes available; its total length bounds the quote, so
// Ethernet padding is not quoted). IP: TOS 0xC0 (precedence 6, RFC 1812
// s4.3.2.5), id = ip_id, no DF, TTL 64, src = `source` (an appliance address),
// dst = the offending source. ICMP: type, code, `rest_of_header` (the 4 bytes
// after the checksum), quote of IP header + 8 bytes. Sets packet_len (0 on
// failure). Fails with bad_offending_packet, suppressed or buffer_too_small.
IcmpStatus build_icmp_error(std::span<std::uint8_t> out, const std::uint8_t* offending_ip,
                            std::uint32_t offending_len, std::uint8_t type, std::uint8_t code,
                            std::uint32_t rest_of_header, common::Ipv4Addr source,
                            std::uint16_t ip_id, std::uint32_t& packet_len) noexcept;

// Destination unreachable, fragmentation needed and DF set (type 3 code 4),
// with the next-hop MTU in the low 16 bits of the "unused" word (RFC 1191 s4).
// For a tunnel that is the path MTU minus kIpipOverhead. Same rules as
// build_icmp_error().
IcmpStatus build_frag_needed(std::span<std::uint8_t> out, const std::uint8_t* offending_ip,
                             std::uint32_t offending_len, std::uint16_t next_hop_mtu,
                             common::Ipv4Addr source, std::uint16_t ip_id,
                             std::uint32_t& packet_len) noexcept;

// Time exceeded in transit (type 11 code 0), for decrement_ttl() returning
// ttl_exceeded (RFC 1812 s5.3.1). Same rules as build_icmp_error().
IcmpStatus build_time_exceeded(std::span<std::uint8_t> out, const std::uint8_t* offending_ip,
                               std::uint32_t offending_len, common::Ipv4Addr source,
                               std::uint16_t ip_id, std::uint32_t& packet_len) noexcept;

}  // namespace sluice::dataplane::packet
