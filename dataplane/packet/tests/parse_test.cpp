#include "dataplane/packet/parse.h"

#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

using test::Bytes;
using test::PacketSpec;

ParseStatus parse(const Bytes& f, PacketMeta& meta) {
    return parse_frame(f.data(), static_cast<std::uint32_t>(f.size()), meta);
}

// Copies `len` bytes into an allocation of exactly that size, so ASan flags
// any read past the end.
ParseStatus parse_exact(const Bytes& f, std::size_t len, PacketMeta& meta) {
    auto buf = std::make_unique<std::uint8_t[]>(len == 0 ? 1 : len);
    std::copy_n(f.begin(), len, buf.get());
    return parse_frame(len == 0 ? nullptr : buf.get(), static_cast<std::uint32_t>(len), meta);
}

void fix_ip_checksum(Bytes& f, std::size_t l3) {
    test::put16(f, l3 + 10, test::ref_ip_checksum(f, l3));
}

TEST(ParseFrame, TcpSyn) {
    const Bytes f = test::build_frame(PacketSpec{});
    ASSERT_EQ(f.size(), 54u);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_EQ(m.l2_len, 14);
    EXPECT_FALSE(m.has_vlan);
    EXPECT_EQ(m.ether_type, 0x0800);
    EXPECT_EQ(m.l3_offset, 14);
    EXPECT_EQ(m.ip_header_len, 20);
    EXPECT_EQ(m.ip_total_len, 40);
    EXPECT_EQ(m.ip_proto, 6);
    EXPECT_EQ(m.ttl, 64);
    EXPECT_EQ(m.src_ip, common::Ipv4Addr{0xc6120001});
    EXPECT_EQ(m.dst_ip, common::Ipv4Addr{0xc6120164});
    EXPECT_FALSE(m.is_fragment);
    EXPECT_TRUE(m.dont_fragment);
    EXPECT_EQ(m.fragment_offset, 0);
    EXPECT_TRUE(m.has_l4_header);
    EXPECT_EQ(m.l4_offset, 34);
    EXPECT_EQ(m.l4_payload_offset, 54);
    EXPECT_EQ(m.src_port, 40000);
    EXPECT_EQ(m.dst_port, 80);
    EXPECT_EQ(m.tcp_flags, 0x02);
    EXPECT_EQ(m.l4_len(), 20);
}

TEST(ParseFrame, TcpOptionsAndPayload) {
    PacketSpec s;
    s.tcp_options = {0x02, 0x04, 0x05, 0xb4,
                     0x01, 0x01, 0x04, 0x02};  // MSS 1460, NOP NOP SACK-permitted
    s.payload = Bytes(13, 0x61);
    s.tcp_flags = 0x18;
    const Bytes f = test::build_frame(s);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_EQ(m.l4_payload_offset, 34 + 28);
    EXPECT_EQ(m.tcp_flags, 0x18);
    EXPECT_EQ(m.ip_total_len, 20 + 28 + 13);
}

TEST(ParseFrame, UdpAndIcmpAndOtherProtocol) {
    PacketSpec s;
    s.proto = 17;
    s.src_port = 5353;
    s.dst_port = 53;
    s.payload = Bytes(5, 1);
    PacketMeta m;
    ASSERT_EQ(parse(test::build_frame(s), m), ParseStatus::ok);
    EXPECT_EQ(m.src_port, 5353);
    EXPECT_EQ(m.dst_port, 53);
    EXPECT_EQ(m.l4_payload_offset, 34 + 8);

    s.proto = 1;
    s.icmp_type = 8;
    s.icmp_code = 0;
    ASSERT_EQ(parse(test::build_frame(s), m), ParseStatus::ok);
    EXPECT_TRUE(m.has_l4_header);
    EXPECT_EQ(m.icmp_type, 8);
    EXPECT_EQ(m.icmp_code, 0);
    EXPECT_EQ(m.src_port, 0);
    EXPECT_EQ(m.dst_port, 0);

    s.proto = 47;  // GRE: IP only
    ASSERT_EQ(parse(test::build_frame(s), m), ParseStatus::ok);
    EXPECT_FALSE(m.has_l4_header);
    EXPECT_EQ(m.l4_offset, 34);
    EXPECT_EQ(m.l4_payload_offset, 34);
}

TEST(ParseFrame, VlanTagged) {
    PacketSpec s;
    s.vlan = true;
    s.vlan_tci = 0xa00a;  // PCP 5, VID 10
    const Bytes f = test::build_frame(s);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_TRUE(m.has_vlan);
    EXPECT_EQ(m.vlan_tci, 0xa00a);
    EXPECT_EQ(m.l2_len, 18);
    EXPECT_EQ(m.l3_offset, 18);
    EXPECT_EQ(m.l4_offset, 38);
    EXPECT_EQ(m.dst_port, 80);
}

TEST(ParseFrame, NotIpAndArp) {
    PacketMeta m;
    const Bytes arp = test::wrap_ethernet(Bytes(28, 0), 0x0806, true, 7);
    EXPECT_EQ(parse(arp, m), ParseStatus::arp);
    EXPECT_EQ(m.l3_offset, 18);
    EXPECT_EQ(m.vlan_tci, 7);
    EXPECT_EQ(parse(test::wrap_ethernet(Bytes(40, 0), 0x86dd), m), ParseStatus::not_ip);
    // QinQ: a second tag is not parsed.
    Bytes qinq = test::wrap_ethernet(Bytes{0x81, 0x00, 0x00, 0x05, 0x08, 0x00}, 0x0800, true, 5);
    qinq[16] = 0x81;
    qinq[17] = 0x00;
    EXPECT_EQ(parse(qinq, m), ParseStatus::not_ip);
}

TEST(ParseFrame, BadVersionAndHeaderLen) {
    Bytes f = test::build_frame(PacketSpec{});
    PacketMeta m;
    f[14] = 0x65;  // version 6, IHL 5
    fix_ip_checksum(f, 14);
    EXPECT_EQ(parse(f, m), ParseStatus::bad_ip_version);
    f[14] = 0x44;  // IHL 4
    EXPECT_EQ(parse(f, m), ParseStatus::bad_ip_header_len);
    f[14] = 0x40;  // IHL 0
    EXPECT_EQ(parse(f, m), ParseStatus::bad_ip_header_len);
}

TEST(ParseFrame, TotalLengthLies) {
    Bytes f = test::build_frame(PacketSpec{});
    PacketMeta m;
    test::put16(f, 16, 19);  // shorter than the header
    fix_ip_checksum(f, 14);
    EXPECT_EQ(parse(f, m), ParseStatus::bad_ip_total_len);
    test::put16(f, 16, 41);  // one byte more than the frame holds
    fix_ip_checksum(f, 14);
    EXPECT_EQ(parse(f, m), ParseStatus::bad_ip_total_len);
    test::put16(f, 16, 40);
    fix_ip_checksum(f, 14);
    EXPECT_EQ(parse(f, m), ParseStatus::ok);
    // IHL 15 (60 bytes) with total length 40: shorter than its own header
    // (rejected before the checksum, which would run past the frame).
    f[14] = 0x4f;
    EXPECT_EQ(parse(f, m), ParseStatus::bad_ip_total_len);
}

TEST(ParseFrame, EthernetPaddingIsFine) {
    PacketSpec s;
    s.proto = 17;
    s.payload = {1, 2};  // IP total 30, frame padded to 60
    s.pad_to = 60;
    const Bytes f = test::build_frame(s);
    ASSERT_EQ(f.size(), 60u);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_EQ(m.ip_total_len, 30);
    EXPECT_EQ(m.l4_len(), 10);
}

TEST(ParseFrame, BadChecksumVerifiedUnlessTrusted) {
    Bytes f = test::build_frame(PacketSpec{});
    f[14 + 10] ^= 0x01;
    PacketMeta m;
    EXPECT_EQ(parse(f, m), ParseStatus::bad_ip_checksum);
    EXPECT_EQ(
        parse_frame(f.data(), static_cast<std::uint32_t>(f.size()), m, IpChecksumCheck::trust),
        ParseStatus::ok);
}

TEST(ParseFrame, IpOptionsAreParsedPast) {
    PacketSpec s;
    s.ip_options = {0x01, 0x01, 0x01, 0x00,
                    0x94, 0x04, 0x00, 0x00};  // NOP NOP NOP EOL, router alert
    const Bytes f = test::build_frame(s);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_EQ(m.ip_header_len, 28);
    EXPECT_EQ(m.l4_offset, 14 + 28);
    EXPECT_EQ(m.src_port, 40000);
    EXPECT_EQ(m.dst_port, 80);
}

TEST(ParseFrame, Fragments) {
    PacketSpec s;
    s.proto = 17;
    s.payload = Bytes(100, 9);
    PacketMeta m;

    s.flags_frag = 0x2000;  // first: MF, offset 0 -> L4 parsed
    ASSERT_EQ(parse(test::build_frame(s), m), ParseStatus::ok);
    EXPECT_TRUE(m.is_fragment);
    EXPECT_TRUE(m.has_l4_header);
    EXPECT_EQ(m.src_port, 40000);

    s.flags_frag = 0x2000 | 185;  // middle: no L4 header
    ASSERT_EQ(parse(test::build_frame(s), m), ParseStatus::ok);
    EXPECT_TRUE(m.is_fragment);
    EXPECT_FALSE(m.has_l4_header);
    EXPECT_EQ(m.fragment_offset, 1480);
    EXPECT_EQ(m.src_port, 0);
    EXPECT_EQ(m.dst_port, 0);
    EXPECT_EQ(m.l4_payload_offset, m.l4_offset);

    s.flags_frag = 185;  // last: MF clear, offset != 0
    ASSERT_EQ(parse(test::build_frame(s), m), ParseStatus::ok);
    EXPECT_TRUE(m.is_fragment);
    EXPECT_FALSE(m.has_l4_header);

    // RFC 1858: a first fragment too short for the TCP header.
    PacketSpec t;
    t.flags_frag = 0x2000;
    Bytes tiny = test::build_frame(t);
    test::put16(tiny, 16, 28);  // 8 bytes of TCP
    fix_ip_checksum(tiny, 14);
    EXPECT_EQ(parse(tiny, m), ParseStatus::truncated_l4);
}

TEST(ParseFrame, L4HeaderFaults) {
    PacketMeta m;
    Bytes f = test::build_frame(PacketSpec{});
    f[34 + 12] = 0x40;  // data offset 4
    EXPECT_EQ(parse(f, m), ParseStatus::bad_tcp_header_len);
    f[34 + 12] = 0x60;  // 24 bytes, but the segment has 20
    EXPECT_EQ(parse(f, m), ParseStatus::bad_tcp_header_len);

    for (std::uint8_t proto : {std::uint8_t{17}, std::uint8_t{1}}) {
        PacketSpec s;
        s.proto = proto;
        Bytes g = test::build_frame(s);
        test::put16(g, 16, 27);  // 7 bytes of L4
        fix_ip_checksum(g, 14);
        EXPECT_EQ(parse(g, m), ParseStatus::truncated_l4) << int{proto};
    }
}

// Truncating a frame at every byte boundary must give a clean status and never
// read past the end (the exact-size copies make ASan check that).
TEST(ParseFrame, TruncatedAtEveryByteNeverReadsOutOfBounds) {
    PacketSpec with_options;
    with_options.ip_options = {0x01, 0x01, 0x01, 0x00};
    with_options.tcp_options = {0x02, 0x04, 0x05, 0xb4};
    PacketSpec vlan;
    vlan.vlan = true;
    for (const PacketSpec& s : {PacketSpec{}, with_options, vlan}) {
        const Bytes f = test::build_frame(s);
        const std::size_t l2 = s.vlan ? 18 : 14;
        PacketMeta m;
        ASSERT_EQ(parse_exact(f, f.size(), m), ParseStatus::ok);
        for (std::size_t len = 0; len < f.size(); ++len) {
            const ParseStatus st = parse_exact(f, len, m);
            if (len < l2) {
                EXPECT_EQ(st, ParseStatus::truncated_l2) << len;
            } else if (len < l2 + 20) {
                EXPECT_EQ(st, ParseStatus::truncated_l3) << len;
            } else {
                EXPECT_EQ(st, ParseStatus::bad_ip_total_len) << len;
            }
            // Same cut, but with a total length that agrees with it, so the
            // L4 checks run at every boundary too.
            if (len >= l2 + 20) {
                Bytes g = f;
                test::put16(g, l2 + 2, static_cast<std::uint16_t>(len - l2));
                fix_ip_checksum(g, l2);
                const ParseStatus st2 = parse_exact(g, len, m);
                const std::size_t ihl = 20 + s.ip_options.size();
                if (len < l2 + ihl) {
                    EXPECT_EQ(st2, ParseStatus::bad_ip_total_len) << len;
                } else if (len < l2 + ihl + 20) {
                    EXPECT_EQ(st2, ParseStatus::truncated_l4) << len;
                } else {
                    EXPECT_EQ(st2, ParseStatus::bad_tcp_header_len) << len;
                }
            }
        }
    }
}

TEST(ParseStatusName, DistinctAndComplete) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < kParseStatusCount; ++i) {
        const std::string_view n = parse_status_name(static_cast<ParseStatus>(i));
        EXPECT_NE(n, "unknown") << i;
        names.emplace(n);
    }
    EXPECT_EQ(names.size(), kParseStatusCount);
    EXPECT_EQ(parse_status_name(static_cast<ParseStatus>(kParseStatusCount)), "unknown");
    EXPECT_EQ(parse_status_name(ParseStatus::bad_ip_checksum), "bad_ip_checksum");
}

}  // namespace
}  // namespace sluice::dataplane::packet
