#include "dataplane/packet/icmp.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/headers.h"

namespace sluice::dataplane::packet {
namespace {

constexpr std::uint16_t u16(std::uint32_t v) noexcept {
    return static_cast<std::uint16_t>(v);
}

// RFC 1122 s3.2.2 / RFC 1812 s4.3.2.7: an address that does not name a single
// host: 0.0.0.0/8, 127.0.0.0/8, multicast 224.0.0.0/4, class E 240.0.0.0/4
// (which includes the limited broadcast 255.255.255.255).
constexpr bool is_unicast_host(common::Ipv4Addr a) noexcept {
    const std::uint32_t first = a.value >> 24;
    return first != 0 && first != 127 && first < 224;
}

enum class Side : std::uint8_t { source, destination };

void rewrite_embedded(std::uint8_t* data, const PacketMeta& meta, EmbeddedPacket& emb, Side side,
                      common::Ipv4Addr new_ip, std::uint16_t new_port) noexcept {
    const IcmpView icmp(data + meta.l4_offset);
    const Ipv4View ip(data + emb.ip_offset);
    std::uint16_t icmp_csum = icmp.checksum();

    // Quoted address, then the quoted header checksum that covers it; the
    // outer ICMP checksum covers both, so it takes both deltas.
    common::Ipv4Addr& emb_ip = side == Side::source ? emb.src_ip : emb.dst_ip;
    const common::Ipv4Addr old_ip = emb_ip;
    if (side == Side::source) {
        ip.set_src(new_ip);
    } else {
        ip.set_dst(new_ip);
    }
    const std::uint16_t old_ip_csum = ip.checksum();
    const std::uint16_t new_ip_csum = csum_update32(old_ip_csum, old_ip.value, new_ip.value);
    ip.set_checksum(new_ip_csum);
    icmp_csum = csum_update32(icmp_csum, old_ip.value, new_ip.value);
    icmp_csum = csum_update16(icmp_csum, old_ip_csum, new_ip_csum);
    emb_ip = new_ip;

    const bool tcp = emb.ip_proto == kIpProtoTcp;
    if (emb.has_l4_header && (tcp || emb.ip_proto == kIpProtoUdp)) {
        // Ports are the first two 16-bit words of both TCP and UDP.
        std::uint8_t* l4 = data + emb.l4_offset;
        std::uint16_t& emb_port = side == Side::source ? emb.src_port : emb.dst_port;
        const std::uint16_t old_port = emb_port;
        store_be16(l4 + (side == Side::source ? 0u : 2u), new_port);
        icmp_csum = csum_update16(icmp_csum, old_port, new_port);
        emb_port = new_port;

        const std::uint32_t csum_at =
            tcp ? TcpView<std::uint8_t>::kChecksum : UdpView<std::uint8_t>::kChecksum;
        if (emb.quoted_l4_len >= csum_at + 2) {
            const std::uint16_t old_l4 = load_be16(l4 + csum_at);
            std::uint16_t new_l4;
            if (tcp) {
                new_l4 = csum_update16(csum_update32(old_l4, old_ip.value, new_ip.value), old_port,
                                       new_port);
            } else {
                new_l4 = udp_csum_update16(udp_csum_update32(old_l4, old_ip.value, new_ip.value),
                                           old_port, new_port);
            }
            store_be16(l4 + csum_at, new_l4);
            icmp_csum = csum_update16(icmp_csum, old_l4, new_l4);
        }
    }
    icmp.set_checksum(icmp_csum);
}

}  // namespace

std::string_view icmp_status_name(IcmpStatus status) noexcept {
    switch (status) {
        case IcmpStatus::ok:
            return "ok";
        case IcmpStatus::not_icmp:
            return "not_icmp";
        case IcmpStatus::not_echo_request:
            return "not_echo_request";
        case IcmpStatus::not_error:
            return "not_error";
        case IcmpStatus::fragmented:
            return "fragmented";
        case IcmpStatus::truncated_embedded:
            return "truncated_embedded";
        case IcmpStatus::bad_embedded_packet:
            return "bad_embedded_packet";
        case IcmpStatus::bad_offending_packet:
            return "bad_offending_packet";
        case IcmpStatus::suppressed:
            return "suppressed";
        case IcmpStatus::buffer_too_small:
            return "buffer_too_small";
    }
    return "unknown";
}

IcmpStatus make_echo_reply(std::uint8_t* data, PacketMeta& meta) noexcept {
    if (meta.ip_proto != kIpProtoIcmp || !meta.has_l4_header) {
        return IcmpStatus::not_icmp;
    }
    if (meta.is_fragment) {
        return IcmpStatus::fragmented;
    }
    if (meta.icmp_type != kIcmpEchoRequest) {
        return IcmpStatus::not_echo_request;
    }

    const Ipv4View ip(data + meta.l3_offset);
    ip.set_src(meta.dst_ip);
    ip.set_dst(meta.src_ip);
    const std::uint16_t old_ttl_word = ip.ttl_protocol_word();
    ip.set_ttl(kIcmpReplyTtl);
    ip.set_checksum(csum_update16(ip.checksum(), old_ttl_word, ip.ttl_protocol_word()));

    const IcmpView icmp(data + meta.l4_offset);
    const std::uint16_t old_type_word = icmp.type_code_word();
    icmp.set_type(kIcmpEchoReply);
    icmp.set_checksum(csum_update16(icmp.checksum(), old_type_word, icmp.type_code_word()));

    std::swap(meta.src_ip, meta.dst_ip);
    meta.ttl = kIcmpReplyTtl;
    meta.icmp_type = kIcmpEchoReply;
    return IcmpStatus::ok;
}

IcmpStatus parse_icmp_error(const std::uint8_t* data, const PacketMeta& meta,
                            EmbeddedPacket& out) noexcept {
    out = EmbeddedPacket{};
    if (meta.ip_proto != kIpProtoIcmp || !meta.has_l4_header) {
        return IcmpStatus::not_icmp;
    }
    if (meta.is_fragment) {
        return IcmpStatus::fragmented;
    }
    if (meta.icmp_type != kIcmpDestUnreachable && meta.icmp_type != kIcmpTimeExceeded &&
        meta.icmp_type != kIcmpParameterProblem) {
        return IcmpStatus::not_error;
    }

    // The quote runs from after the 8-byte ICMP header to the outer IP end.
    const std::uint32_t ip_offset = meta.l4_offset + kIcmpHeaderLen;
    const std::uint32_t outer_end = std::uint32_t{meta.l3_offset} + meta.ip_total_len;
    const std::uint32_t quoted = outer_end - ip_offset;  // parse_frame() ensured >= 0
    if (quoted < kIpv4MinHeaderLen) {
        return IcmpStatus::truncated_embedded;
    }
    const Ipv4View ip(data + ip_offset);
    const std::uint32_t header_len = ip.header_len();
    if (ip.version() != 4 || header_len < kIpv4MinHeaderLen || ip.total_len() < header_len) {
        return IcmpStatus::bad_embedded_packet;
    }
    if (quoted < header_len) {
        return IcmpStatus::truncated_embedded;
    }

    out.ip_offset = u16(ip_offset);
    out.ip_header_len = static_cast<std::uint8_t>(header_len);
    out.ip_proto = ip.protocol();
    out.ip_total_len = ip.total_len();
    out.l4_offset = u16(ip_offset + header_len);
    out.quoted_l4_len =
        u16(std::min(quoted - header_len, std::uint32_t{ip.total_len()} - header_len));
    out.src_ip = ip.src();
    out.dst_ip = ip.dst();

    if (ip.fragment_offset() != 0) {
        return IcmpStatus::ok;  // quoted non-first fragment: no L4
    }
    if (out.ip_proto != kIpProtoTcp && out.ip_proto != kIpProtoUdp &&
        out.ip_proto != kIpProtoIcmp) {
        return IcmpStatus::ok;
    }
    if (out.quoted_l4_len < kIcmpErrorQuotedL4) {
        return IcmpStatus::truncated_embedded;
    }
    if (out.ip_proto != kIpProtoIcmp) {
        out.src_port = load_be16(data + out.l4_offset);
        out.dst_port = load_be16(data + out.l4_offset + 2);
    }
    out.has_l4_header = true;
    return IcmpStatus::ok;
}

void rewrite_embedded_source(std::uint8_t* data, const PacketMeta& meta, EmbeddedPacket& emb,
                             common::Ipv4Addr new_ip, std::uint16_t new_port) noexcept {
    rewrite_embedded(data, meta, emb, Side::source, new_ip, new_port);
}

void rewrite_embedded_destination(std::uint8_t* data, const PacketMeta& meta, EmbeddedPacket& emb,
                                  common::Ipv4Addr new_ip, std::uint16_t new_port) noexcept {
    rewrite_embedded(data, meta, emb, Side::destination, new_ip, new_port);
}

IcmpStatus build_icmp_error(std::span<std::uint8_t> out, const std::uint8_t* offending_ip,
                            std::uint32_t offending_len, std::uint8_t type, std::uint8_t code,
                            std::uint32_t rest_of_header, common::Ipv4Addr source,
                            std::uint16_t ip_id, std::uint32_t& packet_len) noexcept {
    packet_len = 0;
    if (offending_len < kIpv4MinHeaderLen) {
        return IcmpStatus::bad_offending_packet;
    }
    const Ipv4View bad(offending_ip);
    const std::uint32_t header_len = bad.header_len();
    const std::uint32_t total_len = bad.total_len();
    if (bad.version() != 4 || header_len < kIpv4MinHeaderLen || header_len > offending_len ||
        total_len < header_len) {
        return IcmpStatus::bad_offending_packet;
    }

    // RFC 1122 s3.2.2: never an error about an error, a non-first fragment, or
    // a packet from/to something that is not one host.
    if (bad.fragment_offset() != 0) {
        return IcmpStatus::suppressed;
    }
    if (!is_unicast_host(bad.src()) || bad.dst().is_multicast() || bad.dst().value == 0xffffffffu) {
        return IcmpStatus::suppressed;
    }
    if (bad.protocol() == kIpProtoIcmp && std::min(offending_len, total_len) > header_len &&
        is_icmp_error_type(offending_ip[header_len])) {
        return IcmpStatus::suppressed;
    }

    const std::uint32_t quote_len =
        std::min({header_len + kIcmpErrorQuotedL4, total_len, offending_len});
    const std::uint32_t len = kIcmpErrorOverhead + quote_len;
    if (out.size() < len) {
        return IcmpStatus::buffer_too_small;
    }

    std::uint8_t* ip_start = out.data();
    const Ipv4View ip(ip_start);
    ip.set_version_ihl(kIpv4MinHeaderLen);
    ip.set_tos(0xc0);  // precedence 6, internetwork control (RFC 1812 s4.3.2.5)
    ip.set_total_len(u16(len));
    ip.set_id(ip_id);
    ip.set_flags_frag(0);
    ip.set_ttl(kIcmpReplyTtl);
    ip.set_protocol(kIpProtoIcmp);
    ip.set_src(source);
    ip.set_dst(bad.src());
    ipv4_set_header_checksum(ip_start, kIpv4MinHeaderLen);

    std::uint8_t* icmp_start = ip_start + kIpv4MinHeaderLen;
    const IcmpView icmp(icmp_start);
    icmp.set_type(type);
    icmp.set_code(code);
    icmp.set_rest_of_header(rest_of_header);
    std::memcpy(icmp_start + kIcmpHeaderLen, offending_ip, quote_len);
    icmp.set_checksum(icmp_checksum(icmp_start, kIcmpHeaderLen + quote_len));

    packet_len = len;
    return IcmpStatus::ok;
}

IcmpStatus build_frag_needed(std::span<std::uint8_t> out, const std::uint8_t* offending_ip,
                             std::uint32_t offending_len, std::uint16_t next_hop_mtu,
                             common::Ipv4Addr source, std::uint16_t ip_id,
                             std::uint32_t& packet_len) noexcept {
    return build_icmp_error(out, offending_ip, offending_len, kIcmpDestUnreachable,
                            kIcmpCodeFragNeeded, next_hop_mtu, source, ip_id, packet_len);
}

IcmpStatus build_time_exceeded(std::span<std::uint8_t> out, const std::uint8_t* offending_ip,
                               std::uint32_t offending_len, common::Ipv4Addr source,
                               std::uint16_t ip_id, std::uint32_t& packet_len) noexcept {
    return build_icmp_error(out, offending_ip, offending_len, kIcmpTimeExceeded, 0, 0, source,
                            ip_id, packet_len);
}

}  // namespace sluice::dataplane::packet
