#include "common/ipv4.h"

#include <gtest/gtest.h>

namespace sluice::common {
namespace {

TEST(Ipv4Addr, ParsesDottedQuad) {
    auto a = Ipv4Addr::parse("198.18.0.1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->value, 0xc6120001u);
    EXPECT_EQ(a->to_string(), "198.18.0.1");
}

TEST(Ipv4Addr, RejectsMalformed) {
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "01.2.3.4", "a.b.c.d",
                            "1..2.3", "1.2.3.-4", "1.2.3.0004"}) {
        EXPECT_FALSE(Ipv4Addr::parse(bad)) << bad;
    }
}

TEST(Ipv4Addr, Multicast) {
    EXPECT_TRUE(Ipv4Addr::parse("224.0.0.18")->is_multicast());
    EXPECT_FALSE(Ipv4Addr::parse("198.18.0.1")->is_multicast());
}

TEST(Ipv4Prefix, ParsesWithAndWithoutLength) {
    auto p = Ipv4Prefix::parse("198.18.0.2/24");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->len, 24);
    EXPECT_EQ(p->netmask().to_string(), "255.255.255.0");
    EXPECT_TRUE(p->contains(*Ipv4Addr::parse("198.18.0.200")));
    EXPECT_FALSE(p->contains(*Ipv4Addr::parse("198.18.1.1")));
    EXPECT_EQ(Ipv4Prefix::parse("198.18.0.100")->len, 32);
    EXPECT_EQ(Ipv4Prefix::parse("0.0.0.0/0")->netmask().value, 0u);
    EXPECT_FALSE(Ipv4Prefix::parse("198.18.0.2/33"));
    EXPECT_FALSE(Ipv4Prefix::parse("198.18.0.2/"));
    EXPECT_FALSE(Ipv4Prefix::parse("198.18.0.2/2x"));
}

TEST(Netmask, Contiguous) {
    EXPECT_TRUE(is_contiguous_netmask(*Ipv4Addr::parse("255.255.255.0")));
    EXPECT_TRUE(is_contiguous_netmask(*Ipv4Addr::parse("255.255.255.255")));
    EXPECT_TRUE(is_contiguous_netmask(*Ipv4Addr::parse("0.0.0.0")));
    EXPECT_FALSE(is_contiguous_netmask(*Ipv4Addr::parse("255.0.255.0")));
}

}  // namespace
}  // namespace sluice::common
