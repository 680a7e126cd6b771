#pragma once
// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
//
// Convention: every checksum value here is the numeric value of the 16-bit
// wire field as load_be16() returns it (sums run over big-endian words), so a
// result is written back with store_be16(). Nothing here can fail.

#include <cstdint>

#include "common/ipv4.h"

namespace sluice::dataplane::packet {

// One's-complement sum (RFC 1071 s4.1) of `len` bytes added to `sum`, folded to
// 16 bits (never complemented). Chain calls to cover split buffers; every chunk
// but the last must have an even length. A trailing odd byte is padded with
// zero on the right, as the RFC specifies.
[[nodiscard]] std::uint32_t csum_partial(const std::uint8_t* data, std::uint32_t len,
                                         std::uint32_t sum = 0) noexcept;

// Fold a running sum to 16 bits and complement it: the value for the wire.
[[nodiscard]] std::uint16_t csum_finish(std::uint32_t sum) noexcept;

// csum_finish(csum_partial(data, len, initial)): the checksum of a buffer whose
// checksum field is zero (or absent). Over a buffer that includes a correct
// checksum field the result is 0.
[[nodiscard]] std::uint16_t internet_checksum(const std::uint8_t* data, std::uint32_t len,
                                              std::uint32_t initial = 0) noexcept;

// IPv4 header checksum (RFC 791 s3.1) over `header_len` bytes, as if the
// checksum field (bytes 10-11) were zero. The header itself is not modified.
[[nodiscard]] std::uint16_t ipv4_header_checksum(const std::uint8_t* ip,
                                                 std::uint32_t header_len) noexcept;
// True when the header's stored checksum is correct.
[[nodiscard]] bool ipv4_header_checksum_ok(const std::uint8_t* ip,
                                           std::uint32_t header_len) noexcept;
// Computes and stores the header checksum.
void ipv4_set_header_checksum(std::uint8_t* ip, std::uint32_t header_len) noexcept;

// Sum of the IPv4 pseudo-header (RFC 793 s3.1, RFC 768): src, dst, zero,
// protocol, L4 length. Unfolded-safe: fits the `initial` of csum_partial.
[[nodiscard]] std::uint32_t ipv4_pseudo_header_sum(common::Ipv4Addr src, common::Ipv4Addr dst,
                                                   std::uint8_t proto,
                                                   std::uint16_t l4_len) noexcept;

// Full TCP or UDP checksum over the pseudo-header and `l4_len` bytes of
// segment, as if its checksum field (TCP byte 16, UDP byte 6) were zero. For
// UDP a computed 0 is returned as 0xFFFF (RFC 768: 0 means "no checksum").
// `proto` must be kIpProtoTcp or kIpProtoUdp; l4_len >= the fixed header.
[[nodiscard]] std::uint16_t tcp_udp_checksum(common::Ipv4Addr src, common::Ipv4Addr dst,
                                             std::uint8_t proto, const std::uint8_t* l4,
                                             std::uint16_t l4_len) noexcept;

// Full ICMP checksum (RFC 792) over `len` bytes of message, as if its checksum
// field (bytes 2-3) were zero. ICMPv4 has no pseudo-header.
[[nodiscard]] std::uint16_t icmp_checksum(const std::uint8_t* icmp, std::uint32_t len) noexcept;

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for a 16-bit field changing from
// old_v to new_v. Matches a full recomputation exactly (including which of the
// two zeros results) whenever `csum` was itself correct.
[[nodiscard]] std::uint16_t csum_update16(std::uint16_t csum, std::uint16_t old_v,
                                          std::uint16_t new_v) noexcept;
// The same for a 32-bit field (an IPv4 address): both halves at once.
[[nodiscard]] std::uint16_t csum_update32(std::uint16_t csum, std::uint32_t old_v,
                                          std::uint32_t new_v) noexcept;

// UDP over IPv4 (RFC 768): a checksum of 0 means "none" and must stay 0; an
// updated value of 0 is sent as 0xFFFF.
[[nodiscard]] std::uint16_t udp_csum_update16(std::uint16_t csum, std::uint16_t old_v,
                                              std::uint16_t new_v) noexcept;
[[nodiscard]] std::uint16_t udp_csum_update32(std::uint16_t csum, std::uint32_t old_v,
                                              std::uint32_t new_v) noexcept;

}  // namespace sluice::dataplane::packet
