#include "dataplane/packet/tunnel.h"

#include <cassert>

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/headers.h"

namespace sluice::dataplane::packet {
namespace {

// Minimal sanity of an IPv4 packet of `len` bytes (not its checksum: the inner
// packet is the client's, forwarded as is).
bool inner_packet_ok(const std::uint8_t* ip_start, std::uint32_t len) noexcept {
    if (len < kIpv4MinHeaderLen) {
        return false;
    }
    const Ipv4View ip(ip_start);
    const std::uint32_t header_len = ip.header_len();
    return ip.version() == 4 && header_len >= kIpv4MinHeaderLen && ip.total_len() >= header_len &&
           ip.total_len() <= len;
}

}  // namespace

std::string_view encap_status_name(EncapStatus status) noexcept {
    switch (status) {
        case EncapStatus::ok:
            return "ok";
        case EncapStatus::bad_inner_packet:
            return "bad_inner_packet";
        case EncapStatus::too_big:
            return "too_big";
        case EncapStatus::needs_fragmentation:
            return "needs_fragmentation";
    }
    return "unknown";
}

std::string_view decap_status_name(DecapStatus status) noexcept {
    switch (status) {
        case DecapStatus::ok:
            return "ok";
        case DecapStatus::truncated:
            return "truncated";
        case DecapStatus::bad_outer_header:
            return "bad_outer_header";
        case DecapStatus::bad_outer_checksum:
            return "bad_outer_checksum";
        case DecapStatus::not_ipip:
            return "not_ipip";
        case DecapStatus::outer_fragment:
            return "outer_fragment";
        case DecapStatus::bad_inner_packet:
            return "bad_inner_packet";
    }
    return "unknown";
}

EncapStatus encap_ipip(std::uint8_t* ip_start, std::uint32_t ip_len, std::uint8_t* outer_start,
                       common::Ipv4Addr local, common::Ipv4Addr remote, std::uint16_t ip_id,
                       std::uint16_t mtu) noexcept {
    assert(outer_start + kIpipOverhead == ip_start);
    if (!inner_packet_ok(ip_start, ip_len)) {
        return EncapStatus::bad_inner_packet;
    }

    const Ipv4View inner(ip_start);
    const bool dont_fragment = inner.dont_fragment();
    const std::uint32_t outer_len = inner.total_len() + kIpipOverhead;
    if (outer_len > mtu) {
        return dont_fragment ? EncapStatus::too_big : EncapStatus::needs_fragmentation;
    }

    // RFC 2003 s3.1. The outer DF follows the inner one: with DF set, path MTU
    // discovery keeps working end to end (s5.1); with it clear, a router past
    // us may fragment the outer packet and the backend reassembles.
    const Ipv4View outer(outer_start);
    outer.set_version_ihl(kIpv4MinHeaderLen);
    outer.set_tos(inner.tos());
    outer.set_total_len(static_cast<std::uint16_t>(outer_len));
    outer.set_id(ip_id);
    outer.set_flags_frag(dont_fragment ? kIpv4FlagDf : 0);
    outer.set_ttl(kIpipOuterTtl);
    outer.set_protocol(kIpProtoIpip);
    outer.set_src(local);
    outer.set_dst(remote);
    ipv4_set_header_checksum(outer_start, kIpv4MinHeaderLen);
    return EncapStatus::ok;
}

DecapStatus decap_ipip(const std::uint8_t* outer_start, std::uint32_t len,
                       DecapResult& out) noexcept {
    out = DecapResult{};
    if (len < kIpv4MinHeaderLen) {
        return DecapStatus::truncated;
    }
    const Ipv4View outer(outer_start);
    const std::uint32_t header_len = outer.header_len();
    if (outer.version() != 4 || header_len < kIpv4MinHeaderLen) {
        return DecapStatus::bad_outer_header;
    }
    if (header_len > len) {
        return DecapStatus::truncated;
    }
    const std::uint32_t total_len = outer.total_len();
    if (total_len < header_len || total_len > len) {
        return DecapStatus::bad_outer_header;
    }
    if (!ipv4_header_checksum_ok(outer_start, header_len)) {
        return DecapStatus::bad_outer_checksum;
    }
    if (outer.protocol() != kIpProtoIpip) {
        return DecapStatus::not_ipip;
    }
    if (outer.more_fragments() || outer.fragment_offset() != 0) {
        return DecapStatus::outer_fragment;
    }

    const std::uint32_t inner_avail = total_len - header_len;
    if (!inner_packet_ok(outer_start + header_len, inner_avail) ||
        Ipv4View(outer_start + header_len).total_len() != inner_avail) {
        return DecapStatus::bad_inner_packet;
    }
    out.inner_offset = header_len;
    out.inner_len = inner_avail;
    out.outer_src = outer.src();
    out.outer_dst = outer.dst();
    return DecapStatus::ok;
}

}  // namespace sluice::dataplane::packet
