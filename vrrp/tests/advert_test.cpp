#include "vrrp/advert.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace sluice::vrrp {
namespace {

using common::Ipv4Addr;
using Bytes = std::vector<std::uint8_t>;

constexpr Ipv4Addr kVip{0xc6120064};   // 198.18.0.100
constexpr Ipv4Addr kSrc{0xc6120002};   // 198.18.0.2
constexpr Ipv4Addr kDst{0xe0000012};   // 224.0.0.18

// Independent reference: sum of 16-bit big-endian words (odd tail padded), folded,
// complemented. `prefix` is prepended (e.g. a pseudo-header) before summing.
std::uint16_t ref_checksum(const Bytes& prefix, const Bytes& msg) {
    Bytes all = prefix;
    all.insert(all.end(), msg.begin(), msg.end());
    if (all.size() % 2) all.push_back(0);
    std::uint64_t s = 0;
    for (std::size_t i = 0; i < all.size(); i += 2) s += (all[i] * 256u) + all[i + 1];
    while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(~s & 0xffff);
}

Bytes pseudo(Ipv4Addr src, Ipv4Addr dst, std::size_t len) {
    auto b = [](std::uint32_t v, int sh) { return static_cast<std::uint8_t>((v >> sh) & 0xff); };
    return {b(src.value, 24), b(src.value, 16), b(src.value, 8), b(src.value, 0),
            b(dst.value, 24), b(dst.value, 16), b(dst.value, 8), b(dst.value, 0),
            0, 112, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len & 0xff)};
}

// Rewrites the checksum (bytes 6-7) of crafted bytes: plain form, or with a pseudo-header.
void refix(Bytes& m, bool with_pseudo = false) {
    m[6] = m[7] = 0;
    const auto ck = ref_checksum(with_pseudo ? pseudo(kSrc, kDst, m.size()) : Bytes{}, m);
    m[6] = static_cast<std::uint8_t>(ck >> 8);
    m[7] = static_cast<std::uint8_t>(ck & 0xff);
}

// v2, VRID 51, priority 100, 1 address, auth PASS, interval 1 s, checksum 0x50f1
// (computed by hand: words 2133+6401+0101+c612+0064+3131+3131 = 0x1af0d -> 0xaf0e -> ~),
// 198.18.0.100, "1111" zero-padded.
const Bytes kV2Golden = {0x21, 0x33, 0x64, 0x01, 0x01, 0x01, 0x50, 0xf1,
                         0xc6, 0x12, 0x00, 0x64, '1',  '1',  '1',  '1',
                         0x00, 0x00, 0x00, 0x00};

// v3, VRID 51, priority 150, 1 address, interval 100 cs, 198.18.0.100.
// Pseudo-header form (src 198.18.0.2, dst 224.0.0.18, proto 112, len 12): 0xcb4c.
// Plain form (message only): 0x71f0. Both computed by hand.
const Bytes kV3GoldenPseudo = {0x31, 0x33, 0x96, 0x01, 0x00, 0x64, 0xcb, 0x4c,
                               0xc6, 0x12, 0x00, 0x64};
const Bytes kV3GoldenPlain = {0x31, 0x33, 0x96, 0x01, 0x00, 0x64, 0x71, 0xf0,
                              0xc6, 0x12, 0x00, 0x64};

Advert v2_golden_advert() {
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

Advert v3_golden_advert() {
    Advert a;
    a.version = 3;
    a.vrid = 51;
    a.priority = 150;
    a.interval = 100;
    a.addresses = {kVip};
    return a;
}

TEST(VrrpAdvert, ReferenceChecksumAgreesWithGoldenBytes) {
    EXPECT_EQ(ref_checksum({}, kV2Golden), 0);
    EXPECT_EQ(ref_checksum(pseudo(kSrc, kDst, 12), kV3GoldenPseudo), 0);
    EXPECT_EQ(ref_checksum({}, kV3GoldenPlain), 0);
}

TEST(VrrpAdvert, V2EncodeGolden) {
    EXPECT_EQ(encode(v2_golden_advert(), kSrc, kDst), kV2Golden);
    // v2 has no pseudo-header: the addresses do not matter.
    EXPECT_EQ(encode(v2_golden_advert(), Ipv4Addr{1}, Ipv4Addr{2}), kV2Golden);
}

TEST(VrrpAdvert, V2DecodeGolden) {
    Advert out;
    ASSERT_EQ(decode(kV2Golden, kSrc, kDst, 255, out), AdvertError::ok);
    EXPECT_EQ(out, v2_golden_advert());
    EXPECT_TRUE(auth_matches(out, AuthType::pass, "1111"));
}

TEST(VrrpAdvert, V3EncodeGoldenUsesPseudoHeader) {
    EXPECT_EQ(encode(v3_golden_advert(), kSrc, kDst), kV3GoldenPseudo);
}

TEST(VrrpAdvert, V3DecodeAcceptsBothChecksumForms) {
    Advert out;
    ASSERT_EQ(decode(kV3GoldenPseudo, kSrc, kDst, 255, out), AdvertError::ok);
    EXPECT_EQ(out, v3_golden_advert());
    Advert out2;
    ASSERT_EQ(decode(kV3GoldenPlain, kSrc, kDst, 255, out2), AdvertError::ok);
    EXPECT_EQ(out2, v3_golden_advert());
}

TEST(VrrpAdvert, V3PseudoHeaderUsesTheRealDestination) {
    const Ipv4Addr peer{0xc6120003};  // unicast 198.18.0.3
    const auto m = encode(v3_golden_advert(), kSrc, peer);
    EXPECT_NE(m, kV3GoldenPseudo);
    EXPECT_EQ(ref_checksum(pseudo(kSrc, peer, m.size()), m), 0);
    Advert out;
    EXPECT_EQ(decode(m, kSrc, peer, 255, out), AdvertError::ok);
    EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::bad_checksum);
    EXPECT_EQ(decode(kV3GoldenPseudo, kSrc, peer, 255, out), AdvertError::bad_checksum);
}

TEST(VrrpAdvert, TruncatedAtEveryLength) {
    for (const Bytes* full : {&kV2Golden, &kV3GoldenPseudo}) {
        for (std::size_t n = 0; n < full->size(); ++n) {
            Bytes m(full->begin(), full->begin() + static_cast<std::ptrdiff_t>(n));
            Advert out;
            EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::truncated) << "len " << n;
        }
    }
}

TEST(VrrpAdvert, LongerThanCountImpliesIsBadLength) {
    for (bool v2 : {true, false}) {
        Bytes m = v2 ? kV2Golden : kV3GoldenPlain;
        m.push_back(0);
        m.push_back(0);
        refix(m);
        Advert out;
        EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::bad_length);
    }
}

TEST(VrrpAdvert, WrongVersion) {
    for (unsigned v : {0u, 1u, 4u, 15u}) {
        Bytes m = kV3GoldenPlain;
        m[0] = static_cast<std::uint8_t>((v << 4) | 1);
        refix(m);
        Advert out;
        EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::bad_version) << v;
    }
}

TEST(VrrpAdvert, WrongType) {
    for (unsigned t : {0u, 2u, 15u}) {
        for (const Bytes* base : {&kV2Golden, &kV3GoldenPlain}) {
            Bytes m = *base;
            m[0] = static_cast<std::uint8_t>((m[0] & 0xf0) | t);
            refix(m);
            Advert out;
            EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::bad_type) << t;
        }
    }
}

TEST(VrrpAdvert, BadChecksumEveryBit) {
    for (const Bytes* base : {&kV2Golden, &kV3GoldenPseudo, &kV3GoldenPlain}) {
        // Flipping any bit outside the version/type/count/interval fields is only
        // caught by the checksum.
        for (std::size_t i : {std::size_t{1}, std::size_t{2}, std::size_t{6}, std::size_t{7},
                              std::size_t{8}, std::size_t{11}}) {
            for (int bit = 0; bit < 8; ++bit) {
                Bytes m = *base;
                m[i] = static_cast<std::uint8_t>(m[i] ^ (1u << bit));
                Advert out;
                EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::bad_checksum)
                    << "byte " << i << " bit " << bit;
            }
        }
    }
    // v2 is never accepted with a pseudo-header checksum.
    Bytes m = kV2Golden;
    refix(m, true);
    Advert out;
    EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::bad_checksum);
}

TEST(VrrpAdvert, V3CountZero) {
    Bytes m = {0x31, 0x33, 0x96, 0x00, 0x00, 0x64, 0x00, 0x00};
    refix(m, true);
    Advert out;
    EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::bad_count);
}

TEST(VrrpAdvert, V3IntervalZero) {
    for (bool with_pseudo : {true, false}) {
        Bytes m = kV3GoldenPlain;
        m[4] = 0xf0;  // reserved bits set, interval 0
        m[5] = 0x00;
        refix(m, with_pseudo);
        Advert out;
        EXPECT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::zero_interval);
    }
}

TEST(VrrpAdvert, V3ReservedBitsIgnored) {
    Bytes m = kV3GoldenPlain;
    m[4] = 0xf0;
    refix(m, true);
    Advert out;
    ASSERT_EQ(decode(m, kSrc, kDst, 255, out), AdvertError::ok);
    EXPECT_EQ(out.interval, 100);
}

TEST(VrrpAdvert, TtlMustBe255) {
    Advert out;
    out.vrid = 7;
    EXPECT_EQ(decode(kV2Golden, kSrc, kDst, 254, out), AdvertError::bad_ttl);
    EXPECT_EQ(decode(kV3GoldenPseudo, kSrc, kDst, 254, out), AdvertError::bad_ttl);
    EXPECT_EQ(decode(kV3GoldenPseudo, kSrc, kDst, 1, out), AdvertError::bad_ttl);
    EXPECT_EQ(out.vrid, 7) << "out untouched on error";
}

TEST(VrrpAdvert, ErrorNames) {
    EXPECT_EQ(to_string(AdvertError::ok), "ok");
    EXPECT_EQ(to_string(AdvertError::bad_ttl), "bad_ttl");
    EXPECT_EQ(to_string(AdvertError::truncated), "truncated");
    EXPECT_EQ(to_string(AdvertError::bad_version), "bad_version");
    EXPECT_EQ(to_string(AdvertError::bad_type), "bad_type");
    EXPECT_EQ(to_string(AdvertError::bad_length), "bad_length");
    EXPECT_EQ(to_string(AdvertError::bad_checksum), "bad_checksum");
    EXPECT_EQ(to_string(AdvertError::bad_count), "bad_count");
    EXPECT_EQ(to_string(AdvertError::zero_interval), "zero_interval");
}

TEST(VrrpAdvert, EncodeRejectsUnencodable) {
    Advert a = v3_golden_advert();
    a.version = 4;
    EXPECT_TRUE(encode(a, kSrc, kDst).empty());
    a = v3_golden_advert();
    a.interval = 4096;
    EXPECT_TRUE(encode(a, kSrc, kDst).empty());
    a = v2_golden_advert();
    a.interval = 256;
    EXPECT_TRUE(encode(a, kSrc, kDst).empty());
    a = v3_golden_advert();
    a.addresses.assign(256, kVip);
    EXPECT_TRUE(encode(a, kSrc, kDst).empty());
}

TEST(VrrpAdvert, AuthMatches) {
    const Advert a = v2_golden_advert();
    EXPECT_TRUE(auth_matches(a, AuthType::pass, "1111"));
    EXPECT_FALSE(auth_matches(a, AuthType::pass, "1112"));
    EXPECT_FALSE(auth_matches(a, AuthType::pass, "11111"));
    EXPECT_FALSE(auth_matches(a, AuthType::pass, "111"));
    EXPECT_FALSE(auth_matches(a, AuthType::none, ""));
    Advert n = a;
    n.auth_type = 0;
    n.auth_data = {};
    EXPECT_TRUE(auth_matches(n, AuthType::none, ""));
    EXPECT_FALSE(auth_matches(n, AuthType::pass, ""));
    // Passwords are 8 characters on the wire: a longer one is truncated.
    Advert l = a;
    l.auth_data = pass_auth_data("abcdefghij");
    EXPECT_TRUE(auth_matches(l, AuthType::pass, "abcdefgh"));
    EXPECT_TRUE(auth_matches(l, AuthType::pass, "abcdefghXYZ"));
    // v3 carries no authentication.
    EXPECT_TRUE(auth_matches(v3_golden_advert(), AuthType::none, ""));
    EXPECT_FALSE(auth_matches(v3_golden_advert(), AuthType::pass, "1111"));
}

TEST(VrrpAdvert, RandomRoundTrip) {
    std::mt19937 rng(12345);
    auto pick = [&](std::uint32_t lo, std::uint32_t hi) {
        return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng);
    };
    for (int iter = 0; iter < 2000; ++iter) {
        Advert a;
        a.version = static_cast<std::uint8_t>(pick(2, 3));
        a.vrid = static_cast<std::uint8_t>(pick(1, 255));
        a.priority = static_cast<std::uint8_t>(pick(0, 255));
        const std::uint32_t n = pick(1, 20);
        for (std::uint32_t i = 0; i < n; ++i) a.addresses.emplace_back(pick(0, 0xffffffffu));
        if (a.version == 2) {
            a.interval = static_cast<std::uint16_t>(pick(1, 255));
            a.auth_type = static_cast<std::uint8_t>(pick(0, 1));
            for (auto& c : a.auth_data) c = static_cast<char>(pick(0, 255));
        } else {
            a.interval = static_cast<std::uint16_t>(pick(1, 4095));
        }
        const Ipv4Addr src{pick(0, 0xffffffffu)};
        const Ipv4Addr dst = pick(0, 1) ? kDst : Ipv4Addr{pick(0, 0xffffffffu)};
        const Bytes m = encode(a, src, dst);
        ASSERT_EQ(m.size(), (a.version == 2 ? 16u : 8u) + 4u * n);
        if (a.version == 3) {
            EXPECT_EQ(ref_checksum(pseudo(src, dst, m.size()), m), 0);
        } else {
            EXPECT_EQ(ref_checksum({}, m), 0);
        }
        Advert out;
        ASSERT_EQ(decode(m, src, dst, 255, out), AdvertError::ok) << "iter " << iter;
        EXPECT_EQ(out, a) << "iter " << iter;
    }
}

}  // namespace
}  // namespace sluice::vrrp
