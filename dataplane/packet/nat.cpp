#include "dataplane/packet/nat.h"

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/headers.h"

namespace sluice::dataplane::packet {
namespace {

enum class Side : std::uint8_t { source, destination };

// Shared body of both rewrites; `side` picks the address/port pair.
void rewrite(std::uint8_t* data, PacketMeta& meta, Side side, common::Ipv4Addr new_ip,
             std::uint16_t new_port) noexcept {
    const Ipv4View ip(data + meta.l3_offset);
    common::Ipv4Addr& meta_ip = side == Side::source ? meta.src_ip : meta.dst_ip;
    const common::Ipv4Addr old_ip = meta_ip;

    if (side == Side::source) {
        ip.set_src(new_ip);
    } else {
        ip.set_dst(new_ip);
    }
    ip.set_checksum(csum_update32(ip.checksum(), old_ip.value, new_ip.value));
    meta_ip = new_ip;

    if (!meta.has_l4_header) {
        return;  // non-first fragment or no known L4
    }

    std::uint16_t& meta_port = side == Side::source ? meta.src_port : meta.dst_port;
    const std::uint16_t old_port = meta_port;
    std::uint8_t* l4 = data + meta.l4_offset;

    switch (meta.ip_proto) {
        case kIpProtoTcp: {
            const TcpView tcp(l4);
            std::uint16_t csum = csum_update32(tcp.checksum(), old_ip.value, new_ip.value);
            csum = csum_update16(csum, old_port, new_port);
            tcp.set_checksum(csum);
            if (side == Side::source) {
                tcp.set_src_port(new_port);
            } else {
                tcp.set_dst_port(new_port);
            }
            meta_port = new_port;
            break;
        }
        case kIpProtoUdp: {
            const UdpView udp(l4);
            std::uint16_t csum = udp_csum_update32(udp.checksum(), old_ip.value, new_ip.value);
            csum = udp_csum_update16(csum, old_port, new_port);
            udp.set_checksum(csum);
            if (side == Side::source) {
                udp.set_src_port(new_port);
            } else {
                udp.set_dst_port(new_port);
            }
            meta_port = new_port;
            break;
        }
        default:
            break;  // ICMP: no pseudo-header, identifier kept
    }
}

}  // namespace

void rewrite_destination(std::uint8_t* data, PacketMeta& meta, common::Ipv4Addr new_ip,
                         std::uint16_t new_port) noexcept {
    rewrite(data, meta, Side::destination, new_ip, new_port);
}

void rewrite_source(std::uint8_t* data, PacketMeta& meta, common::Ipv4Addr new_ip,
                    std::uint16_t new_port) noexcept {
    rewrite(data, meta, Side::source, new_ip, new_port);
}

std::string_view ttl_status_name(TtlStatus status) noexcept {
    switch (status) {
        case TtlStatus::ok:
            return "ok";
        case TtlStatus::ttl_exceeded:
            return "ttl_exceeded";
    }
    return "unknown";
}

TtlStatus decrement_ttl(std::uint8_t* data, PacketMeta& meta) noexcept {
    if (meta.ttl <= 1) {
        return TtlStatus::ttl_exceeded;
    }
    const Ipv4View ip(data + meta.l3_offset);
    const std::uint16_t old_word = ip.ttl_protocol_word();
    const auto new_ttl = static_cast<std::uint8_t>(meta.ttl - 1);
    ip.set_ttl(new_ttl);
    ip.set_checksum(csum_update16(ip.checksum(), old_word, ip.ttl_protocol_word()));
    meta.ttl = new_ttl;
    return TtlStatus::ok;
}

}  // namespace sluice::dataplane::packet
