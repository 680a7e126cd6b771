#include "vrrp/receive.h"

#include <cctype>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::vrrp {
namespace {

using common::Ipv4Addr;
using Bytes = std::vector<std::uint8_t>;

constexpr Ipv4Addr ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return Ipv4Addr{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) |
                    d};
}

constexpr Ipv4Addr kOurs = ip(198, 18, 0, 2);
constexpr Ipv4Addr kPeer = ip(198, 18, 0, 3);
constexpr Ipv4Addr kGroup = ip(224, 0, 0, 18);
constexpr Ipv4Addr kVip = ip(198, 18, 0, 100);
constexpr Ipv4Addr kVip2 = ip(198, 18, 0, 101);
constexpr Ipv4Addr kUniOurs = ip(10, 0, 0, 5);
constexpr Ipv4Addr kUniPeer = ip(10, 0, 0, 7);
constexpr Ipv4Addr kUniPeer2 = ip(10, 0, 0, 8);
constexpr Ipv4Addr kUniVip = ip(10, 0, 0, 100);

std::uint8_t byte(std::uint32_t v, int shift) {
    return static_cast<std::uint8_t>((v >> shift) & 0xff);
}

// Independent RFC 1071 reference over 16-bit big-endian words.
std::uint16_t ref_checksum(const std::uint8_t* p, std::size_t n) {
    std::uint64_t s = 0;
    for (std::size_t i = 0; i < n; i += 2) {
        s += std::uint64_t{p[i]} << 8;
        if (i + 1 < n)
            s += p[i + 1];
    }
    while (s > 0xffff)
        s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(~s & 0xffff);
}

void fix_ip_checksum(Bytes& pkt) {
    const std::size_t ihl = (pkt[0] & 0x0fu) * 4u;
    pkt[10] = pkt[11] = 0;
    const std::uint16_t ck = ref_checksum(pkt.data(), ihl);
    pkt[10] = byte(ck, 8);
    pkt[11] = byte(ck, 0);
}

// IPv4 header (20 bytes, or more with `options` NOPs) + VRRP message.
Bytes ipv4(const Bytes& payload, Ipv4Addr src, Ipv4Addr dst, std::uint8_t ttl = 255,
           std::uint8_t proto = 112, std::size_t option_bytes = 0) {
    const std::size_t ihl = 20 + option_bytes;
    const std::size_t total = ihl + payload.size();
    Bytes p = {static_cast<std::uint8_t>(0x40 | (ihl / 4)),
               0xc0,
               byte(static_cast<std::uint32_t>(total), 8),
               byte(static_cast<std::uint32_t>(total), 0),
               0x12,
               0x34,
               0x00,
               0x00,
               ttl,
               proto,
               0,
               0,
               byte(src.value, 24),
               byte(src.value, 16),
               byte(src.value, 8),
               byte(src.value, 0),
               byte(dst.value, 24),
               byte(dst.value, 16),
               byte(dst.value, 8),
               byte(dst.value, 0)};
    p.insert(p.end(), option_bytes, 0x01);  // NOP options
    p.insert(p.end(), payload.begin(), payload.end());
    fix_ip_checksum(p);
    return p;
}

Advert v3_advert(std::uint8_t vrid = 51, std::vector<Ipv4Addr> addrs = {kVip}) {
    Advert a;
    a.version = 3;
    a.vrid = vrid;
    a.priority = 150;
    a.interval = 100;
    a.addresses = std::move(addrs);
    return a;
}

Advert v2_advert(std::string_view pass = "secret12", std::uint8_t seconds = 1) {
    Advert a;
    a.version = 2;
    a.vrid = 52;
    a.priority = 120;
    a.interval = seconds;
    a.auth_type = static_cast<std::uint8_t>(AuthType::pass);
    a.auth_data = pass_auth_data(pass);
    a.addresses = {kVip2};
    return a;
}

Bytes packet(const Advert& a, Ipv4Addr src = kPeer, Ipv4Addr dst = kGroup, std::uint8_t ttl = 255) {
    return ipv4(encode(a, src, dst), src, dst, ttl);
}

std::vector<RxInstance> instances() {
    std::vector<RxInstance> v(4);
    v[0].port = 0;  // v3 multicast
    v[0].vrid = 51;
    v[0].version = 3;
    v[0].vips = {kVip};
    v[0].primary_address = kOurs;
    v[1].port = 0;  // v2 PASS multicast; the password is cut to 8 characters on the wire
    v[1].vrid = 52;
    v[1].version = 2;
    v[1].auth = AuthType::pass;
    v[1].auth_pass = "secret12345";
    v[1].vips = {kVip2};
    v[1].primary_address = kOurs;
    v[2].port = 1;  // v3 unicast on another port, same VRID as [0]
    v[2].vrid = 51;
    v[2].version = 3;
    v[2].unicast_peers = {kUniPeer, kUniPeer2};
    v[2].vips = {kUniVip};
    v[2].primary_address = kUniOurs;
    v[3].port = 0;  // v2 without auth
    v[3].vrid = 60;
    v[3].version = 2;
    v[3].advert_interval_cs = 300;
    v[3].vips = {kVip};
    v[3].primary_address = kOurs;
    return v;
}

struct Case {
    const char* name;
    std::function<Bytes()> make;
    std::uint16_t port;
    RxDrop expect;
    int expect_instance;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
    return os << c.name;
}

// Rewrites the VRRP checksum (plain form) after a test mutated the message.
void refix_vrrp(Bytes& p, std::size_t ihl = 20) {
    p[ihl + 6] = p[ihl + 7] = 0;
    const std::uint16_t ck = ref_checksum(p.data() + ihl, p.size() - ihl);
    p[ihl + 6] = byte(ck, 8);
    p[ihl + 7] = byte(ck, 0);
}

std::vector<Case> cases() {
    return {
        // accepted
        {"V3Multicast", [] { return packet(v3_advert()); }, 0, RxDrop::ok, 0},
        {"V2PassCutToEightCharacters", [] { return packet(v2_advert()); }, 0, RxDrop::ok, 1},
        {"V3UnicastFromAPeer", [] { return packet(v3_advert(51, {kUniVip}), kUniPeer2, kUniOurs); },
         1, RxDrop::ok, 2},
        {"UnicastIgnoresTtl",
         [] { return packet(v3_advert(51, {kUniVip}), kUniPeer, kUniOurs, 62); }, 1, RxDrop::ok, 2},
        {"V3PlainChecksumAccepted",
         [] {
             auto p = packet(v3_advert());
             refix_vrrp(p);
             return p;
         },
         0, RxDrop::ok, 0},
        {"MulticastInstanceAcceptsUnicastToUs", [] { return packet(v3_advert(), kPeer, kOurs); }, 0,
         RxDrop::ok, 0},
        {"EthernetPaddingIgnored",
         [] {
             auto p = packet(v3_advert());
             p.insert(p.end(), 14, 0);
             return p;
         },
         0, RxDrop::ok, 0},
        {"IpOptionsSkipped",
         [] {
             const auto a = v3_advert();
             return ipv4(encode(a, kPeer, kGroup), kPeer, kGroup, 255, 112, 4);
         },
         0, RxDrop::ok, 0},
        {"PriorityZeroIsAnAdvertToo",
         [] {
             auto a = v3_advert();
             a.priority = 0;
             return packet(a);
         },
         0, RxDrop::ok, 0},
        // IPv4 header
        {"ShorterThanIpHeader", [] { return Bytes(19, 0x45); }, 0, RxDrop::truncated, -1},
        {"TotalLengthBeyondBytes",
         [] {
             auto p = packet(v3_advert());
             p.resize(p.size() - 1);
             return p;
         },
         0, RxDrop::truncated, -1},
        {"NotIpv4",
         [] {
             auto p = packet(v3_advert());
             p[0] = 0x65;
             fix_ip_checksum(p);
             return p;
         },
         0, RxDrop::bad_ip_header, -1},
        {"IhlBelowFive",
         [] {
             auto p = packet(v3_advert());
             p[0] = 0x44;
             return p;
         },
         0, RxDrop::bad_ip_header, -1},
        {"IhlBeyondTotalLength",
         [] {
             auto p = packet(v3_advert());
             p[2] = 0;
             p[3] = 20;
             p[0] = 0x46;
             return p;
         },
         0, RxDrop::bad_ip_header, -1},
        {"BadIpChecksum",
         [] {
             auto p = packet(v3_advert());
             p[11] ^= 0x01;
             return p;
         },
         0, RxDrop::bad_ip_header, -1},
        {"MoreFragments",
         [] {
             auto p = packet(v3_advert());
             p[6] = 0x20;
             fix_ip_checksum(p);
             return p;
         },
         0, RxDrop::bad_ip_header, -1},
        {"FragmentOffset",
         [] {
             auto p = packet(v3_advert());
             p[7] = 0x01;
             fix_ip_checksum(p);
             return p;
         },
         0, RxDrop::bad_ip_header, -1},
        {"NotProtocol112",
         [] { return ipv4(encode(v3_advert(), kPeer, kGroup), kPeer, kGroup, 255, 17); }, 0,
         RxDrop::not_vrrp, -1},
        {"VrrpShorterThanItsHeader",
         [] {
             return ipv4(Bytes{0x31, 51, 100, 1, 0, 100, 0}, kPeer, kGroup);
         },
         0, RxDrop::truncated, -1},
        // instance lookup
        {"UnknownVrid", [] { return packet(v3_advert(99)); }, 0, RxDrop::unknown_vrid, -1},
        {"VridKnownOnAnotherPortOnly",
         [] {
             auto a = v3_advert();
             a.vrid = 52;
             return packet(a);
         },
         1, RxDrop::unknown_vrid, -1},
        {"VersionNibbleFour",
         [] {
             auto p = packet(v3_advert());
             p[20] = 0x41;
             refix_vrrp(p);
             return p;
         },
         0, RxDrop::bad_version, 0},
        {"V2AdvertForV3Instance",
         [] {
             auto a = v2_advert("", 1);
             a.vrid = 51;
             a.auth_type = 0;
             return packet(a);
         },
         0, RxDrop::version_mismatch, 0},
        {"V3AdvertForV2Instance", [] { return packet(v3_advert(60)); }, 0, RxDrop::version_mismatch,
         3},
        // the message
        {"MulticastTtl254", [] { return packet(v3_advert(), kPeer, kGroup, 254); }, 0,
         RxDrop::bad_ttl, 0},
        {"NotAnAdvertisement",
         [] {
             auto p = packet(v3_advert());
             p[20] = 0x32;
             refix_vrrp(p);
             return p;
         },
         0, RxDrop::bad_type, 0},
        {"LongerThanCountImplies",
         [] {
             auto p = ipv4(encode(v3_advert(), kPeer, kGroup), kPeer, kGroup);
             Bytes vrrp(p.begin() + 20, p.end());
             vrrp.insert(vrrp.end(), {1, 2, 3, 4});
             auto q = ipv4(vrrp, kPeer, kGroup);
             refix_vrrp(q);
             return q;
         },
         0, RxDrop::bad_length, 0},
        {"CountBeyondMessage",
         [] {
             auto p = packet(v3_advert());
             p[23] = 2;
             refix_vrrp(p);
             return p;
         },
         0, RxDrop::truncated, 0},
        {"BadVrrpChecksum",
         [] {
             auto p = packet(v3_advert());
             p[27] ^= 0x10;
             return p;
         },
         0, RxDrop::bad_checksum, 0},
        {"V3ZeroInterval",
         [] {
             auto a = v3_advert();
             a.interval = 0;
             return packet(a);
         },
         0, RxDrop::zero_interval, 0},
        {"V3CountZero", [] { return packet(v3_advert(51, {})); }, 0, RxDrop::bad_count, 0},
        // who and where
        {"OwnAdvertLoopedBack", [] { return packet(v3_advert(), kOurs, kGroup); }, 0,
         RxDrop::own_advert, 0},
        {"MulticastToAnotherGroup", [] { return packet(v3_advert(), kPeer, ip(224, 0, 0, 19)); }, 0,
         RxDrop::wrong_destination, 0},
        {"MulticastToAVip", [] { return packet(v3_advert(), kPeer, kVip); }, 0,
         RxDrop::wrong_destination, 0},
        {"UnicastInstanceGetsMulticast",
         [] { return packet(v3_advert(51, {kUniVip}), kUniPeer, kGroup); }, 1,
         RxDrop::wrong_destination, 2},
        {"UnicastToAnotherAddress",
         [] { return packet(v3_advert(51, {kUniVip}), kUniPeer, ip(10, 0, 0, 6)); }, 1,
         RxDrop::wrong_destination, 2},
        {"UnicastFromAStranger",
         [] { return packet(v3_advert(51, {kUniVip}), ip(10, 0, 0, 9), kUniOurs); }, 1,
         RxDrop::unknown_peer, 2},
        {"UnicastOwnAdvert", [] { return packet(v3_advert(51, {kUniVip}), kUniOurs, kUniOurs); }, 1,
         RxDrop::own_advert, 2},
        // parameters
        {"V2WrongPassword", [] { return packet(v2_advert("secret13")); }, 0, RxDrop::auth_mismatch,
         1},
        {"V2NoAuthForPassInstance",
         [] {
             auto a = v2_advert();
             a.auth_type = 0;
             a.auth_data = {};
             return packet(a);
         },
         0, RxDrop::auth_mismatch, 1},
        {"V2PassForNoAuthInstance",
         [] {
             auto a = v2_advert();
             a.vrid = 60;
             a.interval = 3;
             return packet(a);
         },
         0, RxDrop::auth_mismatch, 3},
        {"V2IntervalMismatch", [] { return packet(v2_advert("secret12", 2)); }, 0,
         RxDrop::interval_mismatch, 1},
        {"V3IntervalMayDiffer",
         [] {
             auto a = v3_advert();
             a.interval = 50;
             return packet(a);
         },
         0, RxDrop::ok, 0},
    };
}

class ReceiveCase : public ::testing::TestWithParam<Case> {};

TEST_P(ReceiveCase, Decides) {
    const Case& c = GetParam();
    const auto inst = instances();
    const Bytes p = c.make();
    const RxResult r = receive(p, c.port, inst);
    EXPECT_EQ(r.drop, c.expect) << to_string(r.drop) << " != " << to_string(c.expect);
    EXPECT_EQ(r.instance, c.expect_instance);
    if (r.ok()) {
        EXPECT_FALSE(r.addresses_differ);
    }
}

INSTANTIATE_TEST_SUITE_P(Rules, ReceiveCase, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                             return std::string(p.param.name);
                         });

TEST(VrrpReceive, AcceptedAdvertCarriesItsFields) {
    const auto inst = instances();
    const RxResult r = receive(packet(v3_advert()), 0, inst);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.src, kPeer);
    EXPECT_EQ(r.dst, kGroup);
    EXPECT_EQ(r.advert, v3_advert());
    const ReceivedAdvert ra = to_received_advert(r);
    EXPECT_EQ(ra.src, kPeer);
    EXPECT_EQ(ra.priority, 150);
    EXPECT_EQ(ra.interval_cs, 100u);
}

TEST(VrrpReceive, V2IntervalBecomesCentiseconds) {
    const auto inst = instances();
    const RxResult r = receive(packet(v2_advert()), 0, inst);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(to_received_advert(r).interval_cs, 100u);
}

TEST(VrrpReceive, DifferentAddressListIsAcceptedButFlagged) {
    const auto inst = instances();
    const RxResult other = receive(packet(v3_advert(51, {kVip2})), 0, inst);
    EXPECT_TRUE(other.ok());
    EXPECT_TRUE(other.addresses_differ);
    const RxResult more = receive(packet(v3_advert(51, {kVip, kVip2})), 0, inst);
    EXPECT_TRUE(more.ok());
    EXPECT_TRUE(more.addresses_differ);
}

TEST(VrrpReceive, AddressListComparesAsASet) {
    const std::vector<Ipv4Addr> ours = {kVip, kVip2};
    EXPECT_FALSE(addresses_differ(std::vector<Ipv4Addr>{kVip2, kVip}, ours));
    EXPECT_FALSE(addresses_differ(std::vector<Ipv4Addr>{kVip2, kVip, kVip2}, ours));
    EXPECT_TRUE(addresses_differ(std::vector<Ipv4Addr>{kVip}, ours));
    EXPECT_TRUE(addresses_differ(std::vector<Ipv4Addr>{}, ours));
}

TEST(VrrpReceive, DropsAfterDecodeKeepTheAdvertForLogs) {
    const auto inst = instances();
    const RxResult r = receive(packet(v2_advert("secret12", 2)), 0, inst);
    EXPECT_EQ(r.drop, RxDrop::interval_mismatch);
    EXPECT_EQ(r.advert.interval, 2);
    EXPECT_EQ(r.src, kPeer);
}

TEST(VrrpReceive, NoInstancesMeansUnknownVrid) {
    EXPECT_EQ(receive(packet(v3_advert()), 0, {}).drop, RxDrop::unknown_vrid);
}

TEST(VrrpReceive, DropNamesAreDistinctSnakeCase) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < kRxDropCount; ++i) {
        const auto name = to_string(static_cast<RxDrop>(i));
        EXPECT_TRUE(seen.insert(name).second) << name;
        ASSERT_FALSE(name.empty());
        for (const char ch : name) {
            EXPECT_TRUE(std::islower(static_cast<unsigned char>(ch)) || ch == '_') << name;
        }
    }
    EXPECT_EQ(to_string(RxDrop::wrong_destination), "wrong_destination");
    EXPECT_EQ(to_string(RxDrop::own_advert), "own_advert");
}

}  // namespace
}  // namespace sluice::vrrp
