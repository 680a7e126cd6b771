#include "vrrp/advert_frame.h"

#include <cstdint>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "vrrp/receive.h"

namespace sluice::vrrp {
namespace {

using common::Ipv4Addr;
using dataplane::packet::MacAddr;
using Bytes = std::vector<std::uint8_t>;

constexpr Ipv4Addr kSrc{0xc6120002};   // 198.18.0.2
constexpr Ipv4Addr kPeer{0xc6120003};  // 198.18.0.3
constexpr Ipv4Addr kVip{0xc6120064};   // 198.18.0.100
constexpr MacAddr kPortMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
constexpr MacAddr kPeerMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x07}};

Advert v3() {
    Advert a;
    a.version = 3;
    a.vrid = 51;
    a.priority = 150;
    a.interval = 100;
    a.addresses = {kVip};
    return a;
}

Advert v2() {
    Advert a;
    a.version = 2;
    a.vrid = 51;
    a.priority = 100;
    a.interval = 1;
    a.auth_type = static_cast<std::uint8_t>(AuthType::pass);
    a.auth_data = pass_auth_data("1111");
    a.addresses = {kVip};
    return a;
}

// v3 multicast from the port MAC. IPv4 checksum by hand: 45c0+0020+0001+0000+ff70+
// 0000+c612+0002+e000+0012 = 0x2eb77 -> 0xeb79 -> ~ = 0x1486. The VRRP message is
// advert_test's pseudo-header golden (checksum 0xcb4c).
const Bytes kV3MulticastGolden = {
    0x01, 0x00, 0x5e, 0x00, 0x00, 0x12,  // dst: 224.0.0.18's group MAC
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // src: the port
    0x08, 0x00,                          // IPv4
    0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x14, 0x86, 0xc6,
    0x12, 0x00, 0x02, 0xe0, 0x00, 0x00, 0x12,  // 198.18.0.2 -> 224.0.0.18
    0x31, 0x33, 0x96, 0x01, 0x00, 0x64, 0xcb, 0x4c, 0xc6, 0x12, 0x00, 0x64, 0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,  // padding to 60
};

// v2 unicast from the virtual MAC of VRID 52 to a peer. IPv4 checksum by hand:
// 45c0+0028+beef+0000+ff70+0000+c612+0002+c612+0003 = 0x39070 -> 0x9073 -> ~ = 0x6f8c.
// The VRRP message is advert_test's v2 golden (checksum 0x50f1, no pseudo-header).
const Bytes kV2UnicastGolden = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x07,  // dst: the peer
    0x00, 0x00, 0x5e, 0x00, 0x01, 0x34,  // src: virtual MAC of VRID 52
    0x08, 0x00, 0x45, 0xc0, 0x00, 0x28, 0xbe, 0xef, 0x00, 0x00, 0xff, 0x70, 0x6f,
    0x8c, 0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x03,  // 198.18.0.2 -> 198.18.0.3
    0x21, 0x33, 0x64, 0x01, 0x01, 0x01, 0x50, 0xf1, 0xc6, 0x12, 0x00, 0x64, '1',
    '1',  '1',  '1',  0x00, 0x00, 0x00, 0x00, 0,    0,    0,    0,    0,    0,  // padding to 60
};

std::uint16_t ref_checksum(std::span<const std::uint8_t> b) {
    std::uint64_t s = 0;
    for (std::size_t i = 0; i < b.size(); i += 2) {
        s += std::uint64_t{b[i]} << 8;
        if (i + 1 < b.size())
            s += b[i + 1];
    }
    while (s > 0xffff)
        s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(~s & 0xffff);
}

FrameAddressing multicast_addressing() {
    return {kPortMac, multicast_mac(), kSrc, kVrrpGroup, 0x0001, std::nullopt};
}

TEST(VrrpAdvertFrame, Helpers) {
    EXPECT_EQ(virtual_mac(51), (MacAddr{{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33}}));
    EXPECT_EQ(virtual_mac(255), (MacAddr{{0x00, 0x00, 0x5e, 0x00, 0x01, 0xff}}));
    EXPECT_EQ(multicast_mac(), (MacAddr{{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12}}));
    EXPECT_TRUE(multicast_mac().is_multicast());
    EXPECT_FALSE(virtual_mac(1).is_multicast());
    EXPECT_EQ(kVrrpGroup.to_string(), "224.0.0.18");
}

TEST(VrrpAdvertFrame, V3MulticastGolden) {
    EXPECT_EQ(build_advert_frame(v3(), multicast_addressing()), kV3MulticastGolden);
}

TEST(VrrpAdvertFrame, V2UnicastFromVirtualMacGolden) {
    Advert a = v2();
    const FrameAddressing addr{virtual_mac(52), kPeerMac, kSrc, kPeer, 0xbeef, std::nullopt};
    EXPECT_EQ(build_advert_frame(a, addr), kV2UnicastGolden);
}

TEST(VrrpAdvertFrame, Ipv4HeaderChecksumVerifies) {
    for (const Bytes& f : {build_advert_frame(v3(), multicast_addressing()),
                           build_advert_frame(v2(), {kPortMac, kPeerMac, kSrc, kPeer, 7, {}})}) {
        ASSERT_GE(f.size(), 34u);
        EXPECT_EQ(ref_checksum(std::span(f).subspan(14, 20)), 0);
    }
}

TEST(VrrpAdvertFrame, VrrpPartRoundTrips) {
    for (const Advert& a : {v3(), v2()}) {
        const Bytes f = build_advert_frame(a, multicast_addressing());
        const std::size_t total = (std::size_t{f[16]} << 8) | f[17];
        const auto vrrp = std::span(f).subspan(14 + 20, total - 20);
        Advert back;
        ASSERT_EQ(decode(vrrp, kSrc, kVrrpGroup, f[14 + 8], back), AdvertError::ok);
        EXPECT_EQ(back, a);
    }
}

TEST(VrrpAdvertFrame, UnicastV3ChecksumUsesTheRealDestination) {
    const Bytes f = build_advert_frame(v3(), {kPortMac, kPeerMac, kSrc, kPeer, 1, {}});
    const auto vrrp = std::span(f).subspan(34, 12);
    EXPECT_EQ(vrrp[6] * 256 + vrrp[7],
              encode(v3(), kSrc, kPeer)[6] * 256 + encode(v3(), kSrc, kPeer)[7]);
    EXPECT_NE(encode(v3(), kSrc, kPeer), encode(v3(), kSrc, kVrrpGroup));
}

TEST(VrrpAdvertFrame, ReceivePathAcceptsWhatWeBuild) {
    RxInstance peer;
    peer.vrid = 51;
    peer.version = 3;
    peer.vips = {kVip};
    peer.primary_address = kPeer;
    const Bytes f = build_advert_frame(v3(), multicast_addressing());
    const RxResult r = receive(std::span(f).subspan(14), 0, std::span(&peer, 1));
    EXPECT_TRUE(r.ok()) << to_string(r.drop);
    EXPECT_EQ(r.advert, v3());
}

TEST(VrrpAdvertFrame, VlanTag) {
    FrameAddressing addr = multicast_addressing();
    addr.vlan_tci = 0x2064;  // PCP 1, VID 100
    const Bytes f = build_advert_frame(v3(), addr);
    ASSERT_EQ(f.size(), 60u);
    EXPECT_EQ(Bytes(f.begin() + 12, f.begin() + 18), (Bytes{0x81, 0x00, 0x20, 0x64, 0x08, 0x00}));
    // Everything after the tag is the untagged frame's L3.
    EXPECT_EQ(Bytes(f.begin() + 18, f.begin() + 18 + 32),
              Bytes(kV3MulticastGolden.begin() + 14, kV3MulticastGolden.begin() + 46));
}

TEST(VrrpAdvertFrame, LongFramesAreNotPadded) {
    Advert a = v3();
    a.addresses.assign(20, kVip);
    const Bytes f = build_advert_frame(a, multicast_addressing());
    EXPECT_EQ(f.size(), 14u + 20u + 8u + 80u);
}

TEST(VrrpAdvertFrame, UnencodableAdvertGivesNothing) {
    Advert a = v3();
    a.interval = 4096;
    EXPECT_TRUE(build_advert_frame(a, multicast_addressing()).empty());
}

}  // namespace
}  // namespace sluice::vrrp
