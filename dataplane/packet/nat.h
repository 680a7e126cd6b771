#pragma once
// In-place LVS-NAT rewrites of a parsed frame, with RFC 1624 incremental
// checksum updates of the IPv4 header and of the TCP/UDP checksum (whose
// pseudo-header covers the addresses, RFC 793 s3.1 / RFC 768).
//
// Precondition for every function: `meta` is what parse_frame() returned `ok`
// for these same bytes (or what an earlier rewrite left in it). Each rewrite
// updates `meta` to match the bytes. No length is needed: the fields touched
// lie inside the headers parse_frame() has bounds-checked.
//
// What is touched, by packet kind:
//   TCP/UDP, whole or first fragment: address, port, IP and L4 checksums. A
//     first fragment's L4 checksum covers the whole datagram; the incremental
//     delta is the same, so it stays right once reassembled.
//   Non-first fragment: address and IP checksum only (no L4 header; new_port is
//     ignored). Rewrite every fragment of a datagram the same way.
//   ICMP: address and IP checksum only; ICMP has no pseudo-header, and the echo
//     identifier is left unchanged (new_port is ignored).
//   Other protocols: address and IP checksum only.
//   UDP with checksum 0 ("none", RFC 768): stays 0.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/ipv4.h"
#include "dataplane/packet/parse.h"

namespace sluice::dataplane::packet {

// Client -> VIP:port becomes client -> backend:port (destination NAT).
void rewrite_destination(std::uint8_t* data, PacketMeta& meta, common::Ipv4Addr new_ip,
                         std::uint16_t new_port) noexcept;

// Backend:port -> client becomes VIP:port -> client (source NAT of replies).
void rewrite_source(std::uint8_t* data, PacketMeta& meta, common::Ipv4Addr new_ip,
                    std::uint16_t new_port) noexcept;

enum class TtlStatus : std::uint8_t {
    ok,
    ttl_exceeded,  // TTL was 0 or 1: forwarding would hit 0 (RFC 1812 s5.3.1);
                   //   the frame is untouched. Drop, or send ICMP time exceeded.
};
inline constexpr std::size_t kTtlStatusCount = 2;
std::string_view ttl_status_name(TtlStatus status) noexcept;

// RFC 1812 s5.3.1: decrement TTL before forwarding, with the RFC 1624 update
// of the header checksum (TTL shares a 16-bit word with the protocol).
TtlStatus decrement_ttl(std::uint8_t* data, PacketMeta& meta) noexcept;

}  // namespace sluice::dataplane::packet
