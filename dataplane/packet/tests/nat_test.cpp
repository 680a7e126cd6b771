#include "dataplane/packet/nat.h"

#include <random>

#include <gtest/gtest.h>

#include "dataplane/packet/headers.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

using test::Bytes;
using test::PacketSpec;

ParseStatus parse(const Bytes& f, PacketMeta& meta) {
    return parse_frame(f.data(), static_cast<std::uint32_t>(f.size()), meta);
}

// Checks every checksum in `f` against a from-scratch recomputation and that
// `meta` still describes the bytes.
void expect_consistent(const Bytes& f, const PacketMeta& meta, bool udp_zero) {
    const std::size_t l3 = meta.l3_offset;
    ASSERT_EQ(test::get16(f, l3 + 10), test::ref_ip_checksum(f, l3));
    const std::size_t l4 = meta.l4_offset;
    if (meta.ip_proto == kIpProtoTcp) {
        ASSERT_EQ(test::get16(f, l4 + 16), test::ref_l4_checksum(f, l3));
    } else if (udp_zero) {
        ASSERT_EQ(test::get16(f, l4 + 6), 0);
    } else {
        ASSERT_EQ(test::get16(f, l4 + 6), test::ref_l4_checksum(f, l3));
    }
    PacketMeta fresh;
    ASSERT_EQ(parse(f, fresh), ParseStatus::ok);
    EXPECT_EQ(fresh.src_ip, meta.src_ip);
    EXPECT_EQ(fresh.dst_ip, meta.dst_ip);
    EXPECT_EQ(fresh.src_port, meta.src_port);
    EXPECT_EQ(fresh.dst_port, meta.dst_port);
    EXPECT_EQ(fresh.ttl, meta.ttl);
}

class NatRandom : public ::testing::TestWithParam<std::uint8_t> {};

// >= 10,000 random packets per protocol, both directions of the NAT.
TEST_P(NatRandom, IncrementalChecksumsEqualFullRecompute) {
    const std::uint8_t proto = GetParam();
    test::Rng rng(proto == kIpProtoTcp ? 6 : 17);
    int zero_seen = 0;
    for (int i = 0; i < 10000; ++i) {
        PacketSpec s;
        s.proto = proto;
        s.src = common::Ipv4Addr{rng()};
        s.dst = common::Ipv4Addr{rng()};
        s.src_port = static_cast<std::uint16_t>(rng());
        s.dst_port = static_cast<std::uint16_t>(rng());
        s.ttl = static_cast<std::uint8_t>(rng());
        s.payload = test::random_bytes(rng, rng() % 1461);  // odd and even lengths
        s.vlan = rng() % 4 == 0;
        if (rng() % 8 == 0) {
            s.ip_options = {0x01, 0x01, 0x01, 0x00};
        }
        s.udp_zero_checksum = proto == kIpProtoUdp && rng() % 10 == 0;
        zero_seen += s.udp_zero_checksum;
        Bytes f = test::build_frame(s);

        PacketMeta meta;
        ASSERT_EQ(parse(f, meta), ParseStatus::ok);
        // client -> VIP becomes client -> backend
        const common::Ipv4Addr backend{rng()};
        const auto backend_port = static_cast<std::uint16_t>(rng());
        rewrite_destination(f.data(), meta, backend, backend_port);
        EXPECT_EQ(meta.dst_ip, backend);
        EXPECT_EQ(meta.dst_port, backend_port);
        expect_consistent(f, meta, s.udp_zero_checksum);

        // backend -> client becomes VIP -> client
        const common::Ipv4Addr vip{rng()};
        const auto vip_port = static_cast<std::uint16_t>(rng());
        rewrite_source(f.data(), meta, vip, vip_port);
        EXPECT_EQ(meta.src_ip, vip);
        EXPECT_EQ(meta.src_port, vip_port);
        expect_consistent(f, meta, s.udp_zero_checksum);
        if (::testing::Test::HasFatalFailure()) {
            ADD_FAILURE() << "iteration " << i;
            return;
        }
    }
    if (proto == kIpProtoUdp) {
        EXPECT_GT(zero_seen, 500);
    }
}

INSTANTIATE_TEST_SUITE_P(TcpUdp, NatRandom, ::testing::Values(kIpProtoTcp, kIpProtoUdp));

TEST(Nat, FragmentedDatagramStaysCorrectOnceReassembled) {
    test::Rng rng(791);
    for (std::uint8_t proto : {kIpProtoTcp, kIpProtoUdp}) {
        for (int i = 0; i < 200; ++i) {
            PacketSpec s;
            s.proto = proto;
            s.src = common::Ipv4Addr{rng()};
            s.dst = common::Ipv4Addr{rng()};
            s.payload = test::random_bytes(rng, 64 + rng() % 400);
            const Bytes whole = test::build_ip_packet(s);
            // Split the IP payload at an 8-byte boundary past the L4 header.
            const std::size_t split = 32;
            Bytes first_ip(whole.begin(), whole.begin() + 20 + split);
            test::put16(first_ip, 2, static_cast<std::uint16_t>(first_ip.size()));
            test::put16(first_ip, 6, kIpv4FlagMf);
            test::put16(first_ip, 10, test::ref_ip_checksum(first_ip, 0));
            Bytes second_ip(whole.begin(), whole.begin() + 20);
            second_ip.insert(second_ip.end(), whole.begin() + 20 + split, whole.end());
            test::put16(second_ip, 2, static_cast<std::uint16_t>(second_ip.size()));
            test::put16(second_ip, 6, split / 8);
            test::put16(second_ip, 10, test::ref_ip_checksum(second_ip, 0));
            Bytes first = test::wrap_ethernet(first_ip);
            Bytes second = test::wrap_ethernet(second_ip);

            PacketMeta m1;
            PacketMeta m2;
            ASSERT_EQ(parse(first, m1), ParseStatus::ok);
            ASSERT_EQ(parse(second, m2), ParseStatus::ok);
            ASSERT_TRUE(m1.has_l4_header);
            ASSERT_FALSE(m2.has_l4_header);
            const common::Ipv4Addr backend{rng()};
            const auto port = static_cast<std::uint16_t>(rng());
            const Bytes second_before = second;
            rewrite_destination(first.data(), m1, backend, port);
            rewrite_destination(second.data(), m2, backend, port);
            EXPECT_EQ(m2.dst_port, 0);  // no port in a non-first fragment
            EXPECT_EQ(test::get16(first, 24), test::ref_ip_checksum(first, 14));
            EXPECT_EQ(test::get16(second, 24), test::ref_ip_checksum(second, 14));
            // Only the address and header checksum of the second fragment moved.
            EXPECT_TRUE(std::equal(second.begin() + 34, second.end(), second_before.begin() + 34));

            // Reassemble and check the L4 checksum over the whole datagram.
            Bytes re(first.begin() + 14, first.end());
            re.insert(re.end(), second.begin() + 34, second.end());
            test::put16(re, 2, static_cast<std::uint16_t>(re.size()));
            const std::size_t csum_at = 20 + (proto == kIpProtoTcp ? 16u : 6u);
            EXPECT_EQ(test::get16(re, csum_at), test::ref_l4_checksum(re, 0));
        }
    }
}

TEST(Nat, IcmpRewritesAddressOnly) {
    PacketSpec s;
    s.proto = kIpProtoIcmp;
    s.payload = {1, 2, 3};
    Bytes f = test::build_frame(s);
    const Bytes before = f;
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    rewrite_destination(f.data(), m, common::Ipv4Addr{0x0a000002}, 9999);
    EXPECT_EQ(m.dst_ip, common::Ipv4Addr{0x0a000002});
    EXPECT_EQ(m.dst_port, 0);
    EXPECT_EQ(test::get32(f, 30), 0x0a000002u);
    EXPECT_EQ(test::get16(f, 24), test::ref_ip_checksum(f, 14));
    // ICMP bytes (identifier, checksum) unchanged, and still correct.
    EXPECT_TRUE(std::equal(f.begin() + 34, f.end(), before.begin() + 34));
    EXPECT_EQ(test::get16(f, 36), test::ref_icmp_checksum(f, 34, f.size() - 34));
}

TEST(Nat, DecrementTtl) {
    for (unsigned ttl = 2; ttl <= 255; ++ttl) {
        PacketSpec s;
        s.ttl = static_cast<std::uint8_t>(ttl);
        s.proto = static_cast<std::uint8_t>(ttl % 2 ? kIpProtoUdp : kIpProtoTcp);
        Bytes f = test::build_frame(s);
        PacketMeta m;
        ASSERT_EQ(parse(f, m), ParseStatus::ok);
        ASSERT_EQ(decrement_ttl(f.data(), m), TtlStatus::ok);
        EXPECT_EQ(f[22], ttl - 1);
        EXPECT_EQ(m.ttl, ttl - 1);
        EXPECT_EQ(test::get16(f, 24), test::ref_ip_checksum(f, 14)) << ttl;
    }
    for (std::uint8_t ttl : {std::uint8_t{0}, std::uint8_t{1}}) {
        PacketSpec s;
        s.ttl = ttl;
        Bytes f = test::build_frame(s);
        const Bytes before = f;
        PacketMeta m;
        ASSERT_EQ(parse(f, m), ParseStatus::ok);
        EXPECT_EQ(decrement_ttl(f.data(), m), TtlStatus::ttl_exceeded);
        EXPECT_EQ(f, before);
    }
    EXPECT_EQ(ttl_status_name(TtlStatus::ttl_exceeded), "ttl_exceeded");
}

}  // namespace
}  // namespace sluice::dataplane::packet
