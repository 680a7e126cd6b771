#include "dataplane/packet/parse.h"

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/headers.h"

namespace sluice::dataplane::packet {
namespace {

constexpr std::uint16_t u16(std::uint32_t v) noexcept {
    return static_cast<std::uint16_t>(v);
}

// L4 of a whole packet or a first fragment; `l4_len` is bounded by the IP total length.
ParseStatus parse_l4(const std::uint8_t* l4, std::uint32_t l4_len, PacketMeta& meta) noexcept {
    switch (meta.ip_proto) {
        case kIpProtoTcp: {
            if (l4_len < kTcpMinHeaderLen) {
                return ParseStatus::truncated_l4;
            }
            const TcpView tcp(l4);
            const std::uint32_t header_len = tcp.header_len();
            // RFC 793 s3.1: data offset counts 32-bit words, at least 5.
            if (header_len < kTcpMinHeaderLen || header_len > l4_len) {
                return ParseStatus::bad_tcp_header_len;
            }
            meta.src_port = tcp.src_port();
            meta.dst_port = tcp.dst_port();
            meta.tcp_flags = tcp.flags();
            meta.l4_payload_offset = u16(meta.l4_offset + header_len);
            break;
        }
        case kIpProtoUdp: {
            if (l4_len < kUdpHeaderLen) {
                return ParseStatus::truncated_l4;
            }
            const UdpView udp(l4);
            meta.src_port = udp.src_port();
            meta.dst_port = udp.dst_port();
            meta.l4_payload_offset = u16(meta.l4_offset + kUdpHeaderLen);
            break;
        }
        case kIpProtoIcmp: {
            if (l4_len < kIcmpHeaderLen) {
                return ParseStatus::truncated_l4;
            }
            const IcmpView icmp(l4);
            meta.icmp_type = icmp.type();
            meta.icmp_code = icmp.code();
            meta.l4_payload_offset = u16(meta.l4_offset + kIcmpHeaderLen);
            break;
        }
        default:
            return ParseStatus::ok;  // no L4 parsing: has_l4_header stays false
    }
    meta.has_l4_header = true;
    return ParseStatus::ok;
}

}  // namespace

std::string_view parse_status_name(ParseStatus status) noexcept {
    switch (status) {
        case ParseStatus::ok:
            return "ok";
        case ParseStatus::arp:
            return "arp";
        case ParseStatus::not_ip:
            return "not_ip";
        case ParseStatus::truncated_l2:
            return "truncated_l2";
        case ParseStatus::truncated_l3:
            return "truncated_l3";
        case ParseStatus::bad_ip_version:
            return "bad_ip_version";
        case ParseStatus::bad_ip_header_len:
            return "bad_ip_header_len";
        case ParseStatus::bad_ip_total_len:
            return "bad_ip_total_len";
        case ParseStatus::bad_ip_checksum:
            return "bad_ip_checksum";
        case ParseStatus::truncated_l4:
            return "truncated_l4";
        case ParseStatus::bad_tcp_header_len:
            return "bad_tcp_header_len";
    }
    return "unknown";
}

ParseStatus parse_frame(const std::uint8_t* data, std::uint32_t len, PacketMeta& meta,
                        IpChecksumCheck ip_checksum) noexcept {
    meta = PacketMeta{};

    // L2: Ethernet II, then at most one 802.1Q tag.
    if (len < kEtherHeaderLen) {
        return ParseStatus::truncated_l2;
    }
    std::uint32_t l2_len = kEtherHeaderLen;
    std::uint16_t ether_type = EtherView(data).ether_type();
    if (ether_type == kEtherTypeVlan) {
        if (len < kEtherHeaderLen + kVlanTagLen) {
            return ParseStatus::truncated_l2;
        }
        const VlanView vlan(data + EtherView<const std::uint8_t>::kEtherType);
        meta.has_vlan = true;
        meta.vlan_tci = vlan.tci();
        ether_type = vlan.inner_ether_type();
        l2_len += kVlanTagLen;
    }
    meta.l2_len = u16(l2_len);
    meta.l3_offset = u16(l2_len);
    meta.ether_type = ether_type;
    if (ether_type == kEtherTypeArp) {
        return ParseStatus::arp;
    }
    if (ether_type != kEtherTypeIpv4) {
        return ParseStatus::not_ip;
    }

    // L3: RFC 791 s3.1, plus RFC 1812 s5.2.2 validity checks.
    const std::uint32_t l3_avail = len - l2_len;
    if (l3_avail < kIpv4MinHeaderLen) {
        return ParseStatus::truncated_l3;
    }
    const std::uint8_t* ip_start = data + l2_len;
    const Ipv4View ip(ip_start);
    if (ip.version() != 4) {
        return ParseStatus::bad_ip_version;
    }
    const std::uint32_t header_len = ip.header_len();
    if (header_len < kIpv4MinHeaderLen) {
        return ParseStatus::bad_ip_header_len;
    }
    const std::uint32_t total_len = ip.total_len();
    // total_len >= header_len also keeps the checksum below inside the frame.
    if (total_len < header_len || total_len > l3_avail) {
        return ParseStatus::bad_ip_total_len;
    }
    if (ip_checksum == IpChecksumCheck::verify && !ipv4_header_checksum_ok(ip_start, header_len)) {
        return ParseStatus::bad_ip_checksum;
    }

    meta.ip_header_len = static_cast<std::uint8_t>(header_len);
    meta.ip_total_len = u16(total_len);
    meta.ip_proto = ip.protocol();
    meta.ttl = ip.ttl();
    meta.src_ip = ip.src();
    meta.dst_ip = ip.dst();
    meta.dont_fragment = ip.dont_fragment();
    meta.fragment_offset = u16(ip.fragment_offset());
    meta.is_fragment = ip.more_fragments() || meta.fragment_offset != 0;
    meta.l4_offset = u16(l2_len + header_len);
    meta.l4_payload_offset = meta.l4_offset;

    // A non-first fragment has no L4 header (RFC 791 s2.3): report ok, no ports.
    if (meta.fragment_offset != 0) {
        return ParseStatus::ok;
    }
    return parse_l4(ip_start + header_len, total_len - header_len, meta);
}

}  // namespace sluice::dataplane::packet
