#pragma once
// LVS-TUN: IP-in-IP encapsulation (RFC 2003) towards a backend, and the
// decapsulation the tests (and a backend simulator) use to check it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/ipv4.h"

namespace sluice::dataplane::packet {

// Bytes the outer header adds: the caller needs this much headroom before the
// inner IP header (plus room for the new Ethernet header in front of it).
inline constexpr std::uint32_t kIpipOverhead = 20;
// RFC 2003 s3.1 leaves the outer TTL to the encapsulator; this is Linux's default.
inline constexpr std::uint8_t kIpipOuterTtl = 64;

enum class EncapStatus : std::uint8_t {
    ok,
    bad_inner_packet,     // fewer than 20 bytes, not version 4, IHL < 5, or total
                          //   length outside [IHL*4, ip_len]
    too_big,              // outer packet > mtu and the inner DF bit is set: send ICMP
                          //   "fragmentation needed" (type 3 code 4) to the inner
                          //   source with next-hop MTU = mtu - kIpipOverhead (RFC 2003 s5.1)
    needs_fragmentation,  // outer packet > mtu and DF clear: we do not fragment on
                          //   the fast path; the caller drops and counts
};
inline constexpr std::size_t kEncapStatusCount = 4;
std::string_view encap_status_name(EncapStatus status) noexcept;

// Writes a 20-byte outer IPv4 header at `outer_start`, which must be exactly
// `ip_start - kIpipOverhead` (the caller guarantees the headroom, e.g. by
// rte_pktmbuf_prepend). `ip_len` is the bytes available from ip_start; only the
// inner total length is encapsulated, so trailing Ethernet padding must be
// trimmed by the caller: the outer packet is inner total length + 20 bytes.
// Outer header (RFC 2003 s3.1): version 4, IHL 5, TOS copied from the inner
// header, id = ip_id, DF copied from the inner header, TTL 64, protocol 4,
// src = local, dst = remote, header checksum set. Nothing is written unless the
// status is ok.
EncapStatus encap_ipip(std::uint8_t* ip_start, std::uint32_t ip_len, std::uint8_t* outer_start,
                       common::Ipv4Addr local, common::Ipv4Addr remote, std::uint16_t ip_id,
                       std::uint16_t mtu) noexcept;

enum class DecapStatus : std::uint8_t {
    ok,
    truncated,           // fewer than 20 bytes, or fewer than the outer IHL
    bad_outer_header,    // outer version != 4, IHL < 5, or total length outside [IHL*4, len]
    bad_outer_checksum,  // outer header checksum does not verify
    not_ipip,            // outer protocol != 4
    outer_fragment,      // outer packet is a fragment: needs reassembly first
    bad_inner_packet,    // inner shorter than 20 bytes, not version 4, IHL < 5,
                         //   or its total length disagrees with the outer payload
};
inline constexpr std::size_t kDecapStatusCount = 7;
std::string_view decap_status_name(DecapStatus status) noexcept;

struct DecapResult {
    std::uint32_t inner_offset = 0;  // from the outer header start (the outer IHL)
    std::uint32_t inner_len = 0;     // the inner total length
    common::Ipv4Addr outer_src;
    common::Ipv4Addr outer_dst;
};

// Validates an outer IPv4 + IPIP packet of `len` bytes and locates the inner
// packet; reads only, the caller strips kIpipOverhead (or the outer IHL) itself.
DecapStatus decap_ipip(const std::uint8_t* outer_start, std::uint32_t len,
                       DecapResult& out) noexcept;

}  // namespace sluice::dataplane::packet
