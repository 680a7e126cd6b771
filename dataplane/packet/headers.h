#pragma once
// Wire layouts of the headers the dataplane touches, as views over raw frame
// bytes. A view holds only a pointer; every field access is a memcpy-based
// big-endian load/store (byte_order.h), so unaligned frames are safe and no
// object is ever type-punned onto the buffer. Views do no bounds checking:
// parse_frame() establishes the lengths first.
//
// Each view is a template over the byte type, so one class serves both read-only
// frames (`const std::uint8_t*`, setters disabled) and writable ones; class
// template argument deduction picks the right one: `Ipv4View ip(data + off);`.

#include <cstdint>
#include <type_traits>

#include "common/ipv4.h"
#include "dataplane/packet/byte_order.h"
#include "dataplane/packet/mac_addr.h"

namespace sluice::dataplane::packet {

using common::Ipv4Addr;

// --- Constants --------------------------------------------------------------

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;  // IEEE 802.1Q C-tag

inline constexpr std::uint32_t kEtherHeaderLen = 14;
inline constexpr std::uint32_t kVlanTagLen = 4;
// Minimum Ethernet frame without FCS (IEEE 802.3 s4.4.2: 64 with FCS). Frames we
// build are zero-padded to this, since not every PMD pads short frames.
inline constexpr std::uint32_t kEtherMinFrameLen = 60;

inline constexpr std::uint32_t kIpv4MinHeaderLen = 20;
inline constexpr std::uint32_t kIpv4MaxHeaderLen = 60;
inline constexpr std::uint32_t kTcpMinHeaderLen = 20;
inline constexpr std::uint32_t kUdpHeaderLen = 8;
inline constexpr std::uint32_t kIcmpHeaderLen = 8;
inline constexpr std::uint32_t kArpIpv4Len = 28;  // RFC 826 with hlen 6, plen 4

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoVrrp = 112;
// 224.0.0.18, VRRP's IPv4 multicast group (RFC 5798 s5.1.1.2), host order.
inline constexpr std::uint32_t kVrrpGroup = 0xe0000012u;
inline constexpr std::uint8_t kIpProtoIpip = 4;  // RFC 2003
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoUdp = 17;

// RFC 791 s3.1 flags/fragment-offset word.
inline constexpr std::uint16_t kIpv4FlagDf = 0x4000;
inline constexpr std::uint16_t kIpv4FlagMf = 0x2000;
inline constexpr std::uint16_t kIpv4FragOffsetMask = 0x1fff;  // in 8-octet units

// RFC 793 s3.1 (+ RFC 3168 ECE/CWR) flag bits of TCP byte 13.
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpPsh = 0x08;
inline constexpr std::uint8_t kTcpAck = 0x10;
inline constexpr std::uint8_t kTcpUrg = 0x20;
inline constexpr std::uint8_t kTcpEce = 0x40;
inline constexpr std::uint8_t kTcpCwr = 0x80;

// RFC 792 message types used here.
inline constexpr std::uint8_t kIcmpEchoReply = 0;
inline constexpr std::uint8_t kIcmpDestUnreachable = 3;
inline constexpr std::uint8_t kIcmpEchoRequest = 8;
inline constexpr std::uint8_t kIcmpTimeExceeded = 11;
inline constexpr std::uint8_t kIcmpParameterProblem = 12;
inline constexpr std::uint8_t kIcmpCodeFragNeeded = 4;  // with type 3, RFC 1191 s4

inline constexpr std::uint16_t kArpHardwareEthernet = 1;
inline constexpr std::uint16_t kArpOpRequest = 1;
inline constexpr std::uint16_t kArpOpReply = 2;

// --- Views ------------------------------------------------------------------

namespace detail {

template <typename Byte>
class ViewBase {
    static_assert(std::is_same_v<std::remove_const_t<Byte>, std::uint8_t>,
                  "views are over std::uint8_t or const std::uint8_t");

  public:
    static constexpr bool kWritable = !std::is_const_v<Byte>;

    constexpr explicit ViewBase(Byte* p) noexcept : p_(p) {}
    constexpr Byte* data() const noexcept { return p_; }

  protected:
    std::uint8_t u8(std::uint32_t off) const noexcept { return p_[off]; }
    std::uint16_t u16(std::uint32_t off) const noexcept { return load_be16(p_ + off); }
    std::uint32_t u32(std::uint32_t off) const noexcept { return load_be32(p_ + off); }
    void put8(std::uint32_t off, std::uint8_t v) const noexcept { p_[off] = v; }
    void put16(std::uint32_t off, std::uint16_t v) const noexcept { store_be16(p_ + off, v); }
    void put32(std::uint32_t off, std::uint32_t v) const noexcept { store_be32(p_ + off, v); }

    Byte* p_;
};

}  // namespace detail

// Ethernet II header (IEEE 802.3 s3.1.1): dst(6) src(6) ethertype(2).
template <typename Byte>
class EtherView : public detail::ViewBase<Byte> {
    using Base = detail::ViewBase<Byte>;

  public:
    static constexpr std::uint32_t kDst = 0, kSrc = 6, kEtherType = 12;
    using Base::Base;

    MacAddr dst() const noexcept { return MacAddr::load(this->p_ + kDst); }
    MacAddr src() const noexcept { return MacAddr::load(this->p_ + kSrc); }
    std::uint16_t ether_type() const noexcept { return this->u16(kEtherType); }

    void set_dst(const MacAddr& m) const noexcept requires Base::kWritable {
        m.store(this->p_ + kDst);
    }
    void set_src(const MacAddr& m) const noexcept requires Base::kWritable {
        m.store(this->p_ + kSrc);
    }
    void set_ether_type(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kEtherType, v);
    }
};
template <typename Byte>
EtherView(Byte*) -> EtherView<Byte>;

// 802.1Q tag as it follows the source MAC: TPID 0x8100(2) TCI(2) inner ethertype(2).
// The view starts at the TPID (frame offset 12).
template <typename Byte>
class VlanView : public detail::ViewBase<Byte> {
    using Base = detail::ViewBase<Byte>;

  public:
    static constexpr std::uint32_t kTpid = 0, kTci = 2, kInnerEtherType = 4;
    using Base::Base;

    std::uint16_t tpid() const noexcept { return this->u16(kTpid); }
    std::uint16_t tci() const noexcept { return this->u16(kTci); }
    std::uint16_t vlan_id() const noexcept { return static_cast<std::uint16_t>(tci() & 0x0fff); }
    std::uint16_t inner_ether_type() const noexcept { return this->u16(kInnerEtherType); }

    void set_tpid(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kTpid, v);
    }
    void set_tci(std::uint16_t v) const noexcept requires Base::kWritable { this->put16(kTci, v); }
    void set_inner_ether_type(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kInnerEtherType, v);
    }
};
template <typename Byte>
VlanView(Byte*) -> VlanView<Byte>;

// ARP for IPv4 over Ethernet (RFC 826): htype ptype hlen plen op sha spa tha tpa.
template <typename Byte>
class ArpView : public detail::ViewBase<Byte> {
    using Base = detail::ViewBase<Byte>;

  public:
    static constexpr std::uint32_t kHardwareType = 0, kProtocolType = 2, kHardwareLen = 4,
                                   kProtocolLen = 5, kOp = 6, kSenderMac = 8, kSenderIp = 14,
                                   kTargetMac = 18, kTargetIp = 24;
    using Base::Base;

    std::uint16_t hardware_type() const noexcept { return this->u16(kHardwareType); }
    std::uint16_t protocol_type() const noexcept { return this->u16(kProtocolType); }
    std::uint8_t hardware_len() const noexcept { return this->u8(kHardwareLen); }
    std::uint8_t protocol_len() const noexcept { return this->u8(kProtocolLen); }
    std::uint16_t op() const noexcept { return this->u16(kOp); }
    MacAddr sender_mac() const noexcept { return MacAddr::load(this->p_ + kSenderMac); }
    Ipv4Addr sender_ip() const noexcept { return Ipv4Addr{this->u32(kSenderIp)}; }
    MacAddr target_mac() const noexcept { return MacAddr::load(this->p_ + kTargetMac); }
    Ipv4Addr target_ip() const noexcept { return Ipv4Addr{this->u32(kTargetIp)}; }

    // Writes htype/ptype/hlen/plen for Ethernet + IPv4.
    void set_ethernet_ipv4() const noexcept requires Base::kWritable {
        this->put16(kHardwareType, kArpHardwareEthernet);
        this->put16(kProtocolType, kEtherTypeIpv4);
        this->put8(kHardwareLen, static_cast<std::uint8_t>(kMacLen));
        this->put8(kProtocolLen, 4);
    }
    void set_op(std::uint16_t v) const noexcept requires Base::kWritable { this->put16(kOp, v); }
    void set_sender_mac(const MacAddr& m) const noexcept requires Base::kWritable {
        m.store(this->p_ + kSenderMac);
    }
    void set_sender_ip(Ipv4Addr a) const noexcept requires Base::kWritable {
        this->put32(kSenderIp, a.value);
    }
    void set_target_mac(const MacAddr& m) const noexcept requires Base::kWritable {
        m.store(this->p_ + kTargetMac);
    }
    void set_target_ip(Ipv4Addr a) const noexcept requires Base::kWritable {
        this->put32(kTargetIp, a.value);
    }
};
template <typename Byte>
ArpView(Byte*) -> ArpView<Byte>;

// IPv4 header (RFC 791 s3.1).
template <typename Byte>
class Ipv4View : public detail::ViewBase<Byte> {
    using Base = detail::ViewBase<Byte>;

  public:
    static constexpr std::uint32_t kVersionIhl = 0, kTos = 1, kTotalLen = 2, kId = 4,
                                   kFlagsFrag = 6, kTtl = 8, kProtocol = 9, kChecksum = 10,
                                   kSrc = 12, kDst = 16;
    using Base::Base;

    std::uint8_t version() const noexcept {
        return static_cast<std::uint8_t>(this->u8(kVersionIhl) >> 4);
    }
    // IHL in bytes (the field counts 32-bit words).
    std::uint32_t header_len() const noexcept { return (this->u8(kVersionIhl) & 0x0fu) * 4u; }
    std::uint8_t tos() const noexcept { return this->u8(kTos); }
    std::uint16_t total_len() const noexcept { return this->u16(kTotalLen); }
    std::uint16_t id() const noexcept { return this->u16(kId); }
    std::uint16_t flags_frag() const noexcept { return this->u16(kFlagsFrag); }
    bool dont_fragment() const noexcept { return (flags_frag() & kIpv4FlagDf) != 0; }
    bool more_fragments() const noexcept { return (flags_frag() & kIpv4FlagMf) != 0; }
    // Fragment offset in bytes (the field counts 8-octet units).
    std::uint32_t fragment_offset() const noexcept {
        return static_cast<std::uint32_t>(flags_frag() & kIpv4FragOffsetMask) * 8u;
    }
    std::uint8_t ttl() const noexcept { return this->u8(kTtl); }
    std::uint8_t protocol() const noexcept { return this->u8(kProtocol); }
    // The 16-bit word holding TTL and protocol, as the checksum sees it.
    std::uint16_t ttl_protocol_word() const noexcept { return this->u16(kTtl); }
    std::uint16_t checksum() const noexcept { return this->u16(kChecksum); }
    Ipv4Addr src() const noexcept { return Ipv4Addr{this->u32(kSrc)}; }
    Ipv4Addr dst() const noexcept { return Ipv4Addr{this->u32(kDst)}; }

    // Version 4 with `header_len` bytes (a multiple of 4 in [20, 60]).
    void set_version_ihl(std::uint32_t header_len_bytes) const noexcept requires Base::kWritable {
        this->put8(kVersionIhl,
                   static_cast<std::uint8_t>(0x40u | ((header_len_bytes / 4u) & 0x0fu)));
    }
    void set_tos(std::uint8_t v) const noexcept requires Base::kWritable { this->put8(kTos, v); }
    void set_total_len(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kTotalLen, v);
    }
    void set_id(std::uint16_t v) const noexcept requires Base::kWritable { this->put16(kId, v); }
    void set_flags_frag(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kFlagsFrag, v);
    }
    void set_ttl(std::uint8_t v) const noexcept requires Base::kWritable { this->put8(kTtl, v); }
    void set_protocol(std::uint8_t v) const noexcept requires Base::kWritable {
        this->put8(kProtocol, v);
    }
    void set_checksum(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kChecksum, v);
    }
    void set_src(Ipv4Addr a) const noexcept requires Base::kWritable { this->put32(kSrc, a.value); }
    void set_dst(Ipv4Addr a) const noexcept requires Base::kWritable { this->put32(kDst, a.value); }
};
template <typename Byte>
Ipv4View(Byte*) -> Ipv4View<Byte>;

// TCP header (RFC 793 s3.1), fixed part.
template <typename Byte>
class TcpView : public detail::ViewBase<Byte> {
    using Base = detail::ViewBase<Byte>;

  public:
    static constexpr std::uint32_t kSrcPort = 0, kDstPort = 2, kSeq = 4, kAck = 8, kDataOffset = 12,
                                   kFlags = 13, kWindow = 14, kChecksum = 16, kUrgent = 18;
    using Base::Base;

    std::uint16_t src_port() const noexcept { return this->u16(kSrcPort); }
    std::uint16_t dst_port() const noexcept { return this->u16(kDstPort); }
    std::uint32_t seq() const noexcept { return this->u32(kSeq); }
    std::uint32_t ack() const noexcept { return this->u32(kAck); }
    // Data offset in bytes (the field counts 32-bit words).
    std::uint32_t header_len() const noexcept {
        return static_cast<std::uint32_t>(this->u8(kDataOffset) >> 4) * 4u;
    }
    std::uint8_t flags() const noexcept { return this->u8(kFlags); }
    std::uint16_t window() const noexcept { return this->u16(kWindow); }
    std::uint16_t checksum() const noexcept { return this->u16(kChecksum); }

    void set_src_port(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kSrcPort, v);
    }
    void set_dst_port(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kDstPort, v);
    }
    void set_seq(std::uint32_t v) const noexcept requires Base::kWritable { this->put32(kSeq, v); }
    void set_ack(std::uint32_t v) const noexcept requires Base::kWritable { this->put32(kAck, v); }
    void set_header_len(std::uint32_t bytes) const noexcept requires Base::kWritable {
        this->put8(kDataOffset, static_cast<std::uint8_t>(((bytes / 4u) & 0x0fu) << 4));
    }
    void set_flags(std::uint8_t v) const noexcept requires Base::kWritable {
        this->put8(kFlags, v);
    }
    void set_window(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kWindow, v);
    }
    void set_checksum(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kChecksum, v);
    }
};
template <typename Byte>
TcpView(Byte*) -> TcpView<Byte>;

// UDP header (RFC 768).
template <typename Byte>
class UdpView : public detail::ViewBase<Byte> {
    using Base = detail::ViewBase<Byte>;

  public:
    static constexpr std::uint32_t kSrcPort = 0, kDstPort = 2, kLength = 4, kChecksum = 6;
    using Base::Base;

    std::uint16_t src_port() const noexcept { return this->u16(kSrcPort); }
    std::uint16_t dst_port() const noexcept { return this->u16(kDstPort); }
    std::uint16_t length() const noexcept { return this->u16(kLength); }
    std::uint16_t checksum() const noexcept { return this->u16(kChecksum); }

    void set_src_port(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kSrcPort, v);
    }
    void set_dst_port(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kDstPort, v);
    }
    void set_length(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kLength, v);
    }
    void set_checksum(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kChecksum, v);
    }
};
template <typename Byte>
UdpView(Byte*) -> UdpView<Byte>;

// ICMP header (RFC 792): type code checksum, then 4 type-specific bytes
// ("rest of header": echo id/sequence, or unused + next-hop MTU for RFC 1191).
template <typename Byte>
class IcmpView : public detail::ViewBase<Byte> {
    using Base = detail::ViewBase<Byte>;

  public:
    static constexpr std::uint32_t kType = 0, kCode = 1, kChecksum = 2, kRest = 4, kEchoId = 4,
                                   kEchoSeq = 6, kNextHopMtu = 6;
    using Base::Base;

    std::uint8_t type() const noexcept { return this->u8(kType); }
    std::uint8_t code() const noexcept { return this->u8(kCode); }
    // The 16-bit word holding type and code, as the checksum sees it.
    std::uint16_t type_code_word() const noexcept { return this->u16(kType); }
    std::uint16_t checksum() const noexcept { return this->u16(kChecksum); }
    std::uint32_t rest_of_header() const noexcept { return this->u32(kRest); }
    std::uint16_t echo_id() const noexcept { return this->u16(kEchoId); }
    std::uint16_t echo_seq() const noexcept { return this->u16(kEchoSeq); }
    std::uint16_t next_hop_mtu() const noexcept { return this->u16(kNextHopMtu); }

    void set_type(std::uint8_t v) const noexcept requires Base::kWritable { this->put8(kType, v); }
    void set_code(std::uint8_t v) const noexcept requires Base::kWritable { this->put8(kCode, v); }
    void set_checksum(std::uint16_t v) const noexcept requires Base::kWritable {
        this->put16(kChecksum, v);
    }
    void set_rest_of_header(std::uint32_t v) const noexcept requires Base::kWritable {
        this->put32(kRest, v);
    }
};
template <typename Byte>
IcmpView(Byte*) -> IcmpView<Byte>;

// RFC 1122 s3.2.2 / RFC 792: the ICMP types that are error messages (never
// answered with another error). Query types (echo, timestamp, ...) are not.
constexpr bool is_icmp_error_type(std::uint8_t type) noexcept {
    return type == kIcmpDestUnreachable || type == 4 /* source quench */ ||
           type == 5 /* redirect */ || type == kIcmpTimeExceeded || type == kIcmpParameterProblem;
}

}  // namespace sluice::dataplane::packet
