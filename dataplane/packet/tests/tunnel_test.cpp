#include "dataplane/packet/tunnel.h"

#include <gtest/gtest.h>

#include "dataplane/packet/headers.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

using test::Bytes;
using test::PacketSpec;

constexpr common::Ipv4Addr kLocal{0xc6120002};   // 198.18.0.2
constexpr common::Ipv4Addr kRemote{0xc6120265};  // 198.18.2.101

// An inner IP packet preceded by 20 bytes of headroom (filled with 0xee so
// untouched bytes show).
struct Buffer {
    Bytes bytes;
    std::uint8_t* outer() { return bytes.data(); }
    std::uint8_t* inner() { return bytes.data() + kIpipOverhead; }
    std::uint32_t inner_len() const {
        return static_cast<std::uint32_t>(bytes.size() - kIpipOverhead);
    }
};

Buffer with_headroom(const Bytes& ip) {
    Buffer b{Bytes(kIpipOverhead + ip.size(), 0xee)};
    std::copy(ip.begin(), ip.end(), b.bytes.begin() + kIpipOverhead);
    return b;
}

TEST(Ipip, EncapFieldsAndChecksum) {
    PacketSpec s;
    s.tos = 0xb9;  // DSCP EF + ECN ECT(1): copied whole (RFC 2003 s3.1, RFC 6040 normal mode)
    s.payload = Bytes(100, 7);
    const Bytes inner = test::build_ip_packet(s);
    Buffer b = with_headroom(inner);
    ASSERT_EQ(encap_ipip(b.inner(), b.inner_len(), b.outer(), kLocal, kRemote, 0xbeef, 1500),
              EncapStatus::ok);
    const Bytes& o = b.bytes;
    EXPECT_EQ(o[0], 0x45);
    EXPECT_EQ(o[1], 0xb9);
    EXPECT_EQ(test::get16(o, 2), inner.size() + 20);
    EXPECT_EQ(test::get16(o, 4), 0xbeef);
    EXPECT_EQ(test::get16(o, 6), 0x4000);  // inner DF copied
    EXPECT_EQ(o[8], 64);
    EXPECT_EQ(o[9], 4);
    EXPECT_EQ(test::get16(o, 10), test::ref_ip_checksum(o, 0));
    EXPECT_EQ(test::get32(o, 12), kLocal.value);
    EXPECT_EQ(test::get32(o, 16), kRemote.value);
    EXPECT_TRUE(std::equal(inner.begin(), inner.end(), o.begin() + 20));  // inner untouched

    DecapResult r;
    ASSERT_EQ(decap_ipip(o.data(), static_cast<std::uint32_t>(o.size()), r), DecapStatus::ok);
    EXPECT_EQ(r.inner_offset, 20u);
    EXPECT_EQ(r.inner_len, inner.size());
    EXPECT_EQ(r.outer_src, kLocal);
    EXPECT_EQ(r.outer_dst, kRemote);
}

TEST(Ipip, DfClearIsCopiedAndPaddingNotEncapsulated) {
    PacketSpec s;
    s.flags_frag = 0;
    Bytes inner = test::build_ip_packet(s);
    inner.resize(inner.size() + 6, 0);  // Ethernet padding after the packet
    Buffer b = with_headroom(inner);
    ASSERT_EQ(encap_ipip(b.inner(), b.inner_len(), b.outer(), kLocal, kRemote, 1, 1500),
              EncapStatus::ok);
    EXPECT_EQ(test::get16(b.bytes, 6), 0);
    EXPECT_EQ(test::get16(b.bytes, 2), 40 + 20);
}

TEST(Ipip, MtuBoundary) {
    PacketSpec s;
    s.payload = Bytes(1440, 1);  // inner 1480: outer exactly 1500
    for (bool df : {true, false}) {
        s.flags_frag = df ? kIpv4FlagDf : 0;
        Buffer b = with_headroom(test::build_ip_packet(s));
        EXPECT_EQ(encap_ipip(b.inner(), b.inner_len(), b.outer(), kLocal, kRemote, 1, 1500),
                  EncapStatus::ok);
        b = with_headroom(test::build_ip_packet(s));
        const Bytes before = b.bytes;
        EXPECT_EQ(encap_ipip(b.inner(), b.inner_len(), b.outer(), kLocal, kRemote, 1, 1499),
                  df ? EncapStatus::too_big : EncapStatus::needs_fragmentation);
        EXPECT_EQ(b.bytes, before);  // nothing written on failure
    }
}

TEST(Ipip, BadInner) {
    PacketSpec s;
    Buffer b = with_headroom(test::build_ip_packet(s));
    EXPECT_EQ(encap_ipip(b.inner(), 19, b.outer(), kLocal, kRemote, 1, 1500),
              EncapStatus::bad_inner_packet);
    EXPECT_EQ(encap_ipip(b.inner(), 39, b.outer(), kLocal, kRemote, 1, 1500),
              EncapStatus::bad_inner_packet);
    b.bytes[20] = 0x65;
    EXPECT_EQ(encap_ipip(b.inner(), b.inner_len(), b.outer(), kLocal, kRemote, 1, 1500),
              EncapStatus::bad_inner_packet);
    b.bytes[20] = 0x44;
    EXPECT_EQ(encap_ipip(b.inner(), b.inner_len(), b.outer(), kLocal, kRemote, 1, 1500),
              EncapStatus::bad_inner_packet);
    EXPECT_EQ(encap_status_name(EncapStatus::needs_fragmentation), "needs_fragmentation");
}

TEST(Ipip, DecapFaults) {
    Buffer b = with_headroom(test::build_ip_packet(PacketSpec{}));
    ASSERT_EQ(encap_ipip(b.inner(), b.inner_len(), b.outer(), kLocal, kRemote, 1, 1500),
              EncapStatus::ok);
    const Bytes good = b.bytes;
    const auto len = static_cast<std::uint32_t>(good.size());
    DecapResult r;
    EXPECT_EQ(decap_ipip(good.data(), 19, r), DecapStatus::truncated);
    EXPECT_EQ(decap_ipip(good.data(), len - 1, r), DecapStatus::bad_outer_header);

    Bytes x = good;
    x[10] ^= 1;
    EXPECT_EQ(decap_ipip(x.data(), len, r), DecapStatus::bad_outer_checksum);
    x = good;
    x[9] = 41;
    test::put16(x, 10, test::ref_ip_checksum(x, 0));
    EXPECT_EQ(decap_ipip(x.data(), len, r), DecapStatus::not_ipip);
    x = good;
    test::put16(x, 6, kIpv4FlagMf);
    test::put16(x, 10, test::ref_ip_checksum(x, 0));
    EXPECT_EQ(decap_ipip(x.data(), len, r), DecapStatus::outer_fragment);
    x = good;
    x[20] = 0x60;
    EXPECT_EQ(decap_ipip(x.data(), len, r), DecapStatus::bad_inner_packet);
    EXPECT_EQ(decap_status_name(DecapStatus::not_ipip), "not_ipip");
}

}  // namespace
}  // namespace sluice::dataplane::packet
