#include "dataplane/packet/tcp_reset.h"

#include <cstring>

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/headers.h"

namespace sluice::dataplane::packet {

std::string_view tcp_reset_status_name(TcpResetStatus status) noexcept {
    switch (status) {
        case TcpResetStatus::ok:
            return "ok";
        case TcpResetStatus::not_tcp:
            return "not_tcp";
        case TcpResetStatus::fragmented:
            return "fragmented";
        case TcpResetStatus::is_reset:
            return "is_reset";
        case TcpResetStatus::buffer_too_small:
            return "buffer_too_small";
    }
    return "unknown";
}

TcpResetStatus make_tcp_reset(std::uint8_t* data, std::uint32_t capacity, PacketMeta& meta,
                              std::uint16_t ip_id, std::uint32_t& out_len) noexcept {
    if (meta.ip_proto != kIpProtoTcp || !meta.has_l4_header) {
        return TcpResetStatus::not_tcp;
    }
    if (meta.is_fragment) {
        return TcpResetStatus::fragmented;
    }
    if ((meta.tcp_flags & kTcpRst) != 0) {
        return TcpResetStatus::is_reset;
    }
    const std::uint32_t l3 = meta.l3_offset;
    const std::uint32_t len = l3 + kIpv4MinHeaderLen + kTcpMinHeaderLen;
    if (capacity < len) {
        return TcpResetStatus::buffer_too_small;
    }

    // Everything the reset is made from is read first: the new headers
    // overlap the old ones when the segment had IP options.
    const TcpView<const std::uint8_t> seg(data + meta.l4_offset);
    const std::uint32_t seg_seq = seg.seq();
    const std::uint32_t seg_ack = seg.ack();
    const std::uint8_t seg_flags = seg.flags();
    const std::uint32_t payload = l3 + meta.ip_total_len - meta.l4_payload_offset;
    const std::uint32_t seg_len =
        payload + ((seg_flags & kTcpSyn) != 0 ? 1u : 0u) + ((seg_flags & kTcpFin) != 0 ? 1u : 0u);
    const common::Ipv4Addr src = meta.dst_ip;  // the reset comes from where the segment went
    const common::Ipv4Addr dst = meta.src_ip;
    const std::uint16_t src_port = meta.dst_port;
    const std::uint16_t dst_port = meta.src_port;

    const EtherView eth(data);
    const MacAddr old_dst = eth.dst();
    eth.set_dst(eth.src());
    eth.set_src(old_dst);

    const Ipv4View ip(data + l3);
    ip.set_version_ihl(kIpv4MinHeaderLen);
    ip.set_tos(0);
    ip.set_total_len(static_cast<std::uint16_t>(kIpv4MinHeaderLen + kTcpMinHeaderLen));
    ip.set_id(ip_id);
    ip.set_flags_frag(kIpv4FlagDf);
    ip.set_ttl(kTcpResetTtl);
    ip.set_protocol(kIpProtoTcp);
    ip.set_src(src);
    ip.set_dst(dst);
    ipv4_set_header_checksum(data + l3, kIpv4MinHeaderLen);

    // RFC 793 s3.4, reset generation for a segment of a connection that is
    // gone: "If the incoming segment has an ACK field, the reset takes its
    // sequence number from the ACK field of the segment, otherwise the reset
    // has sequence number zero and the ACK field is set to the sum of the
    // sequence number and segment length of the incoming segment."
    std::uint8_t* l4 = data + l3 + kIpv4MinHeaderLen;
    const TcpView tcp(l4);
    tcp.set_src_port(src_port);
    tcp.set_dst_port(dst_port);
    std::uint8_t flags = kTcpRst;
    if ((seg_flags & kTcpAck) != 0) {
        tcp.set_seq(seg_ack);
        tcp.set_ack(0);
    } else {
        tcp.set_seq(0);
        tcp.set_ack(seg_seq + seg_len);
        flags = static_cast<std::uint8_t>(flags | kTcpAck);
    }
    tcp.set_header_len(kTcpMinHeaderLen);
    tcp.set_flags(flags);
    tcp.set_window(0);
    tcp.set_checksum(0);
    store_be16(l4 + TcpView<std::uint8_t>::kUrgent, 0);
    tcp.set_checksum(
        tcp_udp_checksum(src, dst, kIpProtoTcp, l4, static_cast<std::uint16_t>(kTcpMinHeaderLen)));

    // Pad short frames (not every PMD does), within what the buffer holds.
    std::uint32_t padded = len;
    if (padded < kEtherMinFrameLen) {
        padded = capacity < kEtherMinFrameLen ? capacity : kEtherMinFrameLen;
        std::memset(data + len, 0, padded - len);
    }
    out_len = padded;

    meta.ip_header_len = static_cast<std::uint8_t>(kIpv4MinHeaderLen);
    meta.ttl = kTcpResetTtl;
    meta.ip_total_len = static_cast<std::uint16_t>(kIpv4MinHeaderLen + kTcpMinHeaderLen);
    meta.src_ip = src;
    meta.dst_ip = dst;
    meta.dont_fragment = true;
    meta.l4_offset = static_cast<std::uint16_t>(l3 + kIpv4MinHeaderLen);
    meta.l4_payload_offset = static_cast<std::uint16_t>(l3 + kIpv4MinHeaderLen + kTcpMinHeaderLen);
    meta.src_port = src_port;
    meta.dst_port = dst_port;
    meta.tcp_flags = flags;
    return TcpResetStatus::ok;
}

}  // namespace sluice::dataplane::packet
