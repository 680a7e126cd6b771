#include "dataplane/packet/arp.h"

#include <array>

#include <gtest/gtest.h>

#include "dataplane/packet/headers.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

using test::Bytes;

constexpr MacAddr kOurMac{{0x02, 0x53, 0x4c, 0x00, 0x00, 0x01}};
constexpr MacAddr kVrrpMac{{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33}};  // VRID 51 (RFC 5798 s7.3)
constexpr common::Ipv4Addr kOurIp{0xc6120002};                     // 198.18.0.2
constexpr common::Ipv4Addr kGateway{0xc61200fe};                   // 198.18.0.254
constexpr common::Ipv4Addr kVip{0xc6120164};                       // 198.18.1.100

// A who-has 198.18.1.100 from 02:00:00:00:00:bb (198.18.0.1), padded to 60.
Bytes request_frame(bool vlan) {
    const Bytes arp = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,  // Ethernet/IPv4, request
                       0x02, 0x00, 0x00, 0x00, 0x00, 0xbb,              // sha
                       0xc6, 0x12, 0x00, 0x01,                          // spa
                       0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              // tha
                       0xc6, 0x12, 0x01, 0x64};                         // tpa
    Bytes f = test::wrap_ethernet(arp, 0x0806, vlan, 0x0064, 60);
    std::fill(f.begin(), f.begin() + 6, 0xff);  // broadcast
    return f;
}

TEST(MacAddr, ParseAndFormat) {
    const auto m = MacAddr::parse("02:53:4C:00:00:01");
    ASSERT_TRUE(m);
    EXPECT_EQ(*m, kOurMac);
    EXPECT_EQ(mac_text_view(m->format()), "02:53:4c:00:00:01");
    EXPECT_EQ(MacAddr::parse("00-00-5e-00-01-33"), kVrrpMac);
    EXPECT_FALSE(MacAddr::parse("00-00-5e:00-01-33"));
    EXPECT_FALSE(MacAddr::parse("00:00:5e:00:01"));
    EXPECT_FALSE(MacAddr::parse("00:00:5e:00:01:3g"));
    EXPECT_FALSE(MacAddr::parse("00:00:5e:00:01:333"));
    EXPECT_TRUE(MacAddr::broadcast().is_broadcast());
    EXPECT_TRUE(MacAddr::broadcast().is_multicast());
    EXPECT_FALSE(kOurMac.is_multicast());
    EXPECT_TRUE(MacAddr{}.is_zero());
}

TEST(Arp, ParseRequest) {
    const Bytes f = request_frame(true);
    PacketMeta meta;
    ASSERT_EQ(parse_frame(f.data(), static_cast<std::uint32_t>(f.size()), meta), ParseStatus::arp);
    ArpPacket a;
    ASSERT_EQ(parse_arp(f.data() + meta.l3_offset,
                        static_cast<std::uint32_t>(f.size() - meta.l3_offset), a),
              ArpStatus::ok);
    EXPECT_EQ(a.op, kArpOpRequest);
    EXPECT_EQ(a.sender_mac, (MacAddr{{0x02, 0, 0, 0, 0, 0xbb}}));
    EXPECT_EQ(a.sender_ip, common::Ipv4Addr{0xc6120001});
    EXPECT_TRUE(a.target_mac.is_zero());
    EXPECT_EQ(a.target_ip, kVip);
    EXPECT_FALSE(a.is_gratuitous());
    EXPECT_FALSE(a.is_probe());
}

TEST(Arp, ParseFaults) {
    const Bytes f = request_frame(false);
    const std::uint8_t* arp = f.data() + 14;
    ArpPacket a;
    EXPECT_EQ(parse_arp(arp, 27, a), ArpStatus::truncated);
    struct Case {
        std::size_t at;
        std::uint8_t value;
        ArpStatus want;
    };
    for (const Case c :
         {Case{1, 6, ArpStatus::bad_hardware_type}, Case{2, 0x86, ArpStatus::bad_protocol_type},
          Case{4, 8, ArpStatus::bad_hardware_len}, Case{5, 16, ArpStatus::bad_protocol_len},
          Case{7, 3, ArpStatus::bad_opcode}}) {
        Bytes x = f;
        x[14 + c.at] = c.value;
        EXPECT_EQ(parse_arp(x.data() + 14, 28, a), c.want) << arp_status_name(c.want);
    }
}

TEST(Arp, ReplyInPlaceGoldenBytes) {
    Bytes f = request_frame(true);
    PacketMeta meta;
    ASSERT_EQ(parse_frame(f.data(), static_cast<std::uint32_t>(f.size()), meta), ParseStatus::arp);
    ArpPacket req;
    ASSERT_EQ(parse_arp(f.data() + meta.l3_offset, 28, req), ArpStatus::ok);
    ASSERT_EQ(make_arp_reply(f.data(), meta, req, kVrrpMac), ArpStatus::ok);
    Bytes want = {0x02, 0x00, 0x00, 0x00, 0x00, 0xbb,  // to the requester
                  0x00, 0x00, 0x5e, 0x00, 0x01, 0x33,  // from us
                  0x81, 0x00, 0x00, 0x64, 0x08, 0x06,  // tag kept
                  0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x00, 0x00,
                  0x5e, 0x00, 0x01, 0x33, 0xc6, 0x12, 0x01, 0x64, 0x02, 0x00,
                  0x00, 0x00, 0x00, 0xbb, 0xc6, 0x12, 0x00, 0x01};
    want.resize(60, 0);
    EXPECT_EQ(f, want);

    ArpPacket reply;
    ASSERT_EQ(parse_arp(f.data() + 18, 28, reply), ArpStatus::ok);
    EXPECT_EQ(make_arp_reply(f.data(), meta, reply, kVrrpMac), ArpStatus::not_request);
}

TEST(Arp, RequestGoldenBytes) {
    std::array<std::uint8_t, 64> buf{};
    buf.fill(0xcc);
    std::uint32_t len = 0;
    ASSERT_EQ(build_arp_request(buf, kOurMac, kOurIp, kGateway, std::nullopt, len), ArpStatus::ok);
    ASSERT_EQ(len, 60u);
    Bytes want = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x53, 0x4c, 0x00, 0x00,
                  0x01, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
                  0x02, 0x53, 0x4c, 0x00, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x00,
                  0x00, 0x00, 0x00, 0x00, 0x00, 0xc6, 0x12, 0x00, 0xfe};
    want.resize(60, 0);
    EXPECT_EQ(Bytes(buf.begin(), buf.begin() + len), want);
    EXPECT_EQ(buf[60], 0xcc);  // nothing past the frame

    ASSERT_EQ(build_arp_request(buf, kOurMac, kOurIp, kGateway, std::uint16_t{0x0064}, len),
              ArpStatus::ok);
    Bytes tagged = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x53, 0x4c, 0x00, 0x00, 0x01,
                    0x81, 0x00, 0x00, 0x64, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04,
                    0x00, 0x01, 0x02, 0x53, 0x4c, 0x00, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02,
                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc6, 0x12, 0x00, 0xfe};
    tagged.resize(60, 0);
    EXPECT_EQ(Bytes(buf.begin(), buf.begin() + len), tagged);

    std::array<std::uint8_t, 59> small{};
    EXPECT_EQ(build_arp_request(small, kOurMac, kOurIp, kGateway, std::nullopt, len),
              ArpStatus::buffer_too_small);
    EXPECT_EQ(len, 0u);
}

TEST(Arp, GratuitousGoldenBytes) {
    std::array<std::uint8_t, 60> buf{};
    std::uint32_t len = 0;
    ASSERT_EQ(build_gratuitous_arp(buf, kVrrpMac, kVip, std::nullopt, len), ArpStatus::ok);
    Bytes want = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x5e, 0x00, 0x01,
                  0x33, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
                  0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 0xc6, 0x12, 0x01, 0x64, 0x00,
                  0x00, 0x00, 0x00, 0x00, 0x00, 0xc6, 0x12, 0x01, 0x64};
    want.resize(60, 0);
    EXPECT_EQ(Bytes(buf.begin(), buf.begin() + len), want);

    ArpPacket a;
    ASSERT_EQ(parse_arp(buf.data() + 14, 46, a), ArpStatus::ok);
    EXPECT_TRUE(a.is_gratuitous());
    EXPECT_EQ(a.sender_mac, kVrrpMac);
}

}  // namespace
}  // namespace sluice::dataplane::packet
