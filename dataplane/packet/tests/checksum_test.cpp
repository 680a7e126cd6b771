#include "dataplane/packet/checksum.h"

#include <random>

#include <gtest/gtest.h>

#include "dataplane/packet/headers.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

using test::Bytes;

std::uint32_t size32(const Bytes& b) {
    return static_cast<std::uint32_t>(b.size());
}

TEST(Checksum, Rfc1071NumericalExample) {
    // RFC 1071 s3: these bytes sum to 0xddf2.
    const Bytes b = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    EXPECT_EQ(csum_partial(b.data(), size32(b)), 0xddf2u);
    EXPECT_EQ(internet_checksum(b.data(), size32(b)), 0x220d);
}

TEST(Checksum, KnownIpv4Header) {
    // 192.168.0.1 -> 192.168.0.199, UDP, total 0x73: checksum 0xb861.
    Bytes h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
               0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    EXPECT_EQ(ipv4_header_checksum(h.data(), 20), 0xb861);
    EXPECT_TRUE(ipv4_header_checksum_ok(h.data(), 20));
    h[11] = 0;
    EXPECT_FALSE(ipv4_header_checksum_ok(h.data(), 20));
    ipv4_set_header_checksum(h.data(), 20);
    EXPECT_EQ(h[10], 0xb8);
    EXPECT_EQ(h[11], 0x61);
}

TEST(Checksum, MatchesNaiveReferenceForAllLengthsAndChaining) {
    test::Rng rng(1071);
    for (std::size_t len = 0; len < 300; ++len) {
        const Bytes b = test::random_bytes(rng, len);
        const std::uint32_t init = rng() & 0xffff;
        EXPECT_EQ(internet_checksum(b.data(), size32(b), init), test::ref_checksum(b, 0, len, init))
            << len;
        // Any even split chains to the same sum.
        const std::uint32_t split = static_cast<std::uint32_t>(len / 2) & ~1u;
        const std::uint32_t first = csum_partial(b.data(), split, init);
        EXPECT_EQ(csum_finish(csum_partial(b.data() + split, size32(b) - split, first)),
                  test::ref_checksum(b, 0, len, init));
    }
}

TEST(Checksum, Rfc1624Example) {
    // RFC 1624 s4: eqn. 3 gives 0x0000 where eqn. 2 gave the wrong 0xFFFF.
    EXPECT_EQ(csum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
}

TEST(Checksum, IncrementalMatchesFullRecompute) {
    test::Rng rng(1624);
    for (int i = 0; i < 20000; ++i) {
        Bytes b = test::random_bytes(rng, 2 + (rng() % 64) * 2);
        const std::size_t at16 = (rng() % (b.size() / 2)) * 2;
        const std::uint16_t c = test::ref_checksum(b, 0, b.size());
        const std::uint16_t old16 = test::get16(b, at16);
        const auto new16 = static_cast<std::uint16_t>(rng());
        test::put16(b, at16, new16);
        ASSERT_EQ(csum_update16(c, old16, new16), test::ref_checksum(b, 0, b.size()));

        if (b.size() >= 4) {
            const std::size_t at32 = (rng() % ((b.size() - 2) / 2)) * 2;
            const std::uint16_t c2 = test::ref_checksum(b, 0, b.size());
            const std::uint32_t old32 = test::get32(b, at32);
            const std::uint32_t new32 = rng();
            test::put32(b, at32, new32);
            ASSERT_EQ(csum_update32(c2, old32, new32), test::ref_checksum(b, 0, b.size()));
        }
    }
}

TEST(Checksum, UdpZeroMeansNone) {
    EXPECT_EQ(udp_csum_update16(0, 0x1234, 0x4321), 0);
    EXPECT_EQ(udp_csum_update32(0, 0x01020304, 0x0a0b0c0d), 0);
    // An update landing on 0 is sent as 0xFFFF (RFC 768).
    EXPECT_EQ(csum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
    EXPECT_EQ(udp_csum_update16(0xdd2f, 0x5555, 0x3285), 0xffff);
}

TEST(Checksum, TcpUdpFullComputation) {
    test::Rng rng(793);
    for (std::uint8_t proto : {kIpProtoTcp, kIpProtoUdp}) {
        for (int i = 0; i < 500; ++i) {
            test::PacketSpec s;
            s.proto = proto;
            s.src = common::Ipv4Addr{rng()};
            s.dst = common::Ipv4Addr{rng()};
            s.payload = test::random_bytes(rng, rng() % 200);
            const Bytes p = test::build_ip_packet(s);
            const std::size_t off = proto == kIpProtoTcp ? 36 : 26;
            EXPECT_EQ(tcp_udp_checksum(s.src, s.dst, proto, p.data() + 20,
                                       static_cast<std::uint16_t>(p.size() - 20)),
                      test::get16(p, off));
        }
    }
}

TEST(Checksum, IcmpFullComputation) {
    test::PacketSpec s;
    s.proto = kIpProtoIcmp;
    s.payload = {1, 2, 3, 4, 5};
    const Bytes p = test::build_ip_packet(s);
    EXPECT_EQ(icmp_checksum(p.data() + 20, static_cast<std::uint32_t>(p.size() - 20)),
              test::get16(p, 22));
}

}  // namespace
}  // namespace sluice::dataplane::packet
