#include "dataplane/packet/arp.h"

#include <algorithm>

#include "dataplane/packet/headers.h"

namespace sluice::dataplane::packet {
namespace {

// Ethernet (+ tag) header of a frame we originate; returns the L2 length.
std::uint32_t write_l2(std::uint8_t* frame, const MacAddr& dst, const MacAddr& src,
                       std::optional<std::uint16_t> vlan_tci, std::uint16_t ether_type) noexcept {
    const EtherView eth(frame);
    eth.set_dst(dst);
    eth.set_src(src);
    if (!vlan_tci) {
        eth.set_ether_type(ether_type);
        return kEtherHeaderLen;
    }
    const VlanView vlan(frame + EtherView<std::uint8_t>::kEtherType);
    vlan.set_tpid(kEtherTypeVlan);
    vlan.set_tci(*vlan_tci);
    vlan.set_inner_ether_type(ether_type);
    return kEtherHeaderLen + kVlanTagLen;
}

ArpStatus build_request(std::span<std::uint8_t> out, const MacAddr& sender_mac,
                        common::Ipv4Addr sender_ip, common::Ipv4Addr target_ip,
                        std::optional<std::uint16_t> vlan_tci, std::uint32_t& frame_len) noexcept {
    frame_len = 0;
    if (out.size() < kArpFrameLen) {
        return ArpStatus::buffer_too_small;
    }
    std::uint8_t* frame = out.data();
    std::fill_n(frame, kArpFrameLen, std::uint8_t{0});  // padding and zero target MAC
    const std::uint32_t l2_len =
        write_l2(frame, MacAddr::broadcast(), sender_mac, vlan_tci, kEtherTypeArp);
    const ArpView arp(frame + l2_len);
    arp.set_ethernet_ipv4();
    arp.set_op(kArpOpRequest);
    arp.set_sender_mac(sender_mac);
    arp.set_sender_ip(sender_ip);
    arp.set_target_ip(target_ip);
    frame_len = kArpFrameLen;
    return ArpStatus::ok;
}

}  // namespace

std::string_view arp_status_name(ArpStatus status) noexcept {
    switch (status) {
        case ArpStatus::ok:
            return "ok";
        case ArpStatus::truncated:
            return "truncated";
        case ArpStatus::bad_hardware_type:
            return "bad_hardware_type";
        case ArpStatus::bad_protocol_type:
            return "bad_protocol_type";
        case ArpStatus::bad_hardware_len:
            return "bad_hardware_len";
        case ArpStatus::bad_protocol_len:
            return "bad_protocol_len";
        case ArpStatus::bad_opcode:
            return "bad_opcode";
        case ArpStatus::not_request:
            return "not_request";
        case ArpStatus::buffer_too_small:
            return "buffer_too_small";
    }
    return "unknown";
}

ArpStatus parse_arp(const std::uint8_t* arp, std::uint32_t len, ArpPacket& out) noexcept {
    out = ArpPacket{};
    if (len < kArpIpv4Len) {
        return ArpStatus::truncated;
    }
    const ArpView view(arp);
    if (view.hardware_type() != kArpHardwareEthernet) {
        return ArpStatus::bad_hardware_type;
    }
    if (view.protocol_type() != kEtherTypeIpv4) {
        return ArpStatus::bad_protocol_type;
    }
    if (view.hardware_len() != kMacLen) {
        return ArpStatus::bad_hardware_len;
    }
    if (view.protocol_len() != 4) {
        return ArpStatus::bad_protocol_len;
    }
    const std::uint16_t op = view.op();
    if (op != kArpOpRequest && op != kArpOpReply) {
        return ArpStatus::bad_opcode;
    }
    out.op = op;
    out.sender_mac = view.sender_mac();
    out.sender_ip = view.sender_ip();
    out.target_mac = view.target_mac();
    out.target_ip = view.target_ip();
    return ArpStatus::ok;
}

ArpStatus make_arp_reply(std::uint8_t* frame, const PacketMeta& meta, const ArpPacket& request,
                         const MacAddr& our_mac) noexcept {
    if (request.op != kArpOpRequest) {
        return ArpStatus::not_request;
    }
    const EtherView eth(frame);
    eth.set_dst(request.sender_mac);
    eth.set_src(our_mac);
    const ArpView arp(frame + meta.l3_offset);
    arp.set_op(kArpOpReply);
    arp.set_target_mac(request.sender_mac);
    arp.set_target_ip(request.sender_ip);
    arp.set_sender_mac(our_mac);
    arp.set_sender_ip(request.target_ip);
    return ArpStatus::ok;
}

ArpStatus build_arp_request(std::span<std::uint8_t> out, const MacAddr& sender_mac,
                            common::Ipv4Addr sender_ip, common::Ipv4Addr target_ip,
                            std::optional<std::uint16_t> vlan_tci,
                            std::uint32_t& frame_len) noexcept {
    return build_request(out, sender_mac, sender_ip, target_ip, vlan_tci, frame_len);
}

ArpStatus build_gratuitous_arp(std::span<std::uint8_t> out, const MacAddr& mac,
                               common::Ipv4Addr vip, std::optional<std::uint16_t> vlan_tci,
                               std::uint32_t& frame_len) noexcept {
    return build_request(out, mac, vip, vip, vlan_tci, frame_len);
}

}  // namespace sluice::dataplane::packet
