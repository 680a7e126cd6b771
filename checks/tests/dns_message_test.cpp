#include "checks/dns_message.h"

#include <string>

#include <gtest/gtest.h>

namespace sluice::checks {
namespace {

using namespace std::string_literals;

std::string u16(unsigned v) {
    return {static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)};
}

std::string header(unsigned id, unsigned flags, unsigned qd, unsigned an) {
    return u16(id) + u16(flags) + u16(qd) + u16(an) + u16(0) + u16(0);
}

const std::string kWwwExampleCom = "\3www\7example\3com\0"s;

std::string question(const std::string& wire_name = kWwwExampleCom, unsigned type = 1) {
    return wire_name + u16(type) + u16(1);
}

// An A record for the name at offset 12 (the question's), via a pointer.
std::string a_record(unsigned ttl = 300) {
    return "\xc0\x0c"s + u16(1) + u16(1) + u16(ttl >> 16) + u16(ttl & 0xffff) + u16(4) +
           "\xc6\x12\x00\x01"s;
}

TEST(DnsType, NamesAndNumbers) {
    EXPECT_EQ(parse_dns_type("A"), dns_type::a);
    EXPECT_EQ(parse_dns_type("aaaa"), dns_type::aaaa);
    EXPECT_EQ(parse_dns_type("Mx"), dns_type::mx);
    EXPECT_EQ(parse_dns_type("SOA"), dns_type::soa);
    EXPECT_EQ(parse_dns_type("TYPE65"), 65);
    EXPECT_FALSE(parse_dns_type("TYPE70000"));
    EXPECT_FALSE(parse_dns_type("B"));
    EXPECT_FALSE(parse_dns_type(""));
    EXPECT_EQ(dns_type_name(dns_type::txt), "TXT");
    EXPECT_EQ(dns_type_name(99), "TYPE99");
    EXPECT_EQ(dns_rcode_name(0), "NOERROR");
    EXPECT_EQ(dns_rcode_name(3), "NXDOMAIN");
    EXPECT_EQ(dns_rcode_name(9), "RCODE9");
}

TEST(DnsQuery, Wire) {
    std::string error;
    const auto q = build_dns_query(0x1234, "www.example.com", dns_type::a, error);
    ASSERT_TRUE(q) << error;
    EXPECT_EQ(*q, header(0x1234, 0x0100, 1, 0) + question());
    // A trailing dot names the same thing; the root is allowed.
    EXPECT_EQ(build_dns_query(0x1234, "www.example.com.", dns_type::a, error), q);
    EXPECT_EQ(*build_dns_query(1, ".", dns_type::ns, error),
              header(1, 0x0100, 1, 0) + "\0"s + u16(2) + u16(1));
}

TEST(DnsQuery, BadNames) {
    std::string error;
    EXPECT_FALSE(build_dns_query(1, "a..b", dns_type::a, error));
    EXPECT_FALSE(build_dns_query(1, ".a", dns_type::a, error));
    EXPECT_FALSE(build_dns_query(1, std::string(64, 'x') + ".com", dns_type::a, error));
    EXPECT_TRUE(build_dns_query(1, std::string(63, 'x') + ".com", dns_type::a, error));
    std::string long_name;
    for (int i = 0; i < 50; ++i) {
        long_name += "abcd.";
    }
    long_name += "abc";  // 50 * 5 + 4 + 1 = 255 bytes on the wire: the most allowed
    EXPECT_TRUE(build_dns_query(1, long_name, dns_type::a, error)) << error;
    EXPECT_FALSE(build_dns_query(1, long_name + "d", dns_type::a, error)) << "256 bytes";
    EXPECT_EQ(error, "name longer than 255 bytes");
}

TEST(DnsResponse, NoErrorWithAnAnswer) {
    const std::string reply = header(7, 0x8180, 1, 1) + question() + a_record(0x10203);
    std::string error;
    const auto r = parse_dns_response(reply, 7, "WWW.example.com", dns_type::a, error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->rcode, 0U);
    EXPECT_FALSE(r->truncated);
    ASSERT_EQ(r->answers.size(), 1U);
    EXPECT_EQ(r->answers[0].name, "www.example.com");
    EXPECT_EQ(r->answers[0].type, dns_type::a);
    EXPECT_EQ(r->answers[0].rclass, 1);
    EXPECT_EQ(r->answers[0].ttl, 0x10203U);
    EXPECT_EQ(r->answers[0].rdata, "\xc6\x12\x00\x01"s);
}

TEST(DnsResponse, Rcodes) {
    std::string error;
    const auto nx = parse_dns_response(header(7, 0x8183, 1, 0) + question(), 7, "www.example.com",
                                       dns_type::a, error);
    ASSERT_TRUE(nx) << error;
    EXPECT_EQ(nx->rcode, 3U);
    // An error reply may leave the question out; a NOERROR one may not.
    const auto servfail =
        parse_dns_response(header(7, 0x8182, 0, 0), 7, "www.example.com", dns_type::a, error);
    ASSERT_TRUE(servfail) << error;
    EXPECT_EQ(servfail->rcode, 2U);
    EXPECT_FALSE(
        parse_dns_response(header(7, 0x8180, 0, 0), 7, "www.example.com", dns_type::a, error));
}

TEST(DnsResponse, NotTheReplyToOurQuery) {
    std::string error;
    const std::string body = question() + a_record();
    EXPECT_FALSE(parse_dns_response(header(8, 0x8180, 1, 1) + body, 7, "www.example.com",
                                    dns_type::a, error));
    EXPECT_EQ(error, "reply to another query (id 8)");
    EXPECT_FALSE(parse_dns_response(header(7, 0x0100, 1, 1) + body, 7, "www.example.com",
                                    dns_type::a, error));
    EXPECT_EQ(error, "not a response");
    EXPECT_FALSE(parse_dns_response(header(7, 0x8180, 1, 1) + body, 7, "other.example.com",
                                    dns_type::a, error));
    EXPECT_EQ(error, "reply to another question");
    EXPECT_FALSE(parse_dns_response(header(7, 0x8180, 1, 1) + body, 7, "www.example.com",
                                    dns_type::aaaa, error));
    EXPECT_EQ(error, "reply to another question");
    EXPECT_FALSE(parse_dns_response(header(7, 0x8980, 1, 1) + body, 7, "www.example.com",
                                    dns_type::a, error));
    EXPECT_EQ(error, "not a standard query response");
}

TEST(DnsResponse, GarbageAndTruncation) {
    std::string error;
    EXPECT_FALSE(parse_dns_response("garbage", 7, "x", dns_type::a, error));
    EXPECT_EQ(error, "message shorter than a DNS header");
    const std::string reply = header(7, 0x8180, 1, 1) + question() + a_record();
    for (std::size_t cut = 12; cut < reply.size(); ++cut) {
        EXPECT_FALSE(
            parse_dns_response(reply.substr(0, cut), 7, "www.example.com", dns_type::a, error))
            << cut;
    }
    // TC set: answers that did not fit are simply missing.
    const auto tc = parse_dns_response(header(7, 0x8380, 1, 3) + question() + a_record(), 7,
                                       "www.example.com", dns_type::a, error);
    ASSERT_TRUE(tc) << error;
    EXPECT_TRUE(tc->truncated);
    EXPECT_EQ(tc->answers.size(), 1U);
}

TEST(DnsName, CompressionPointers) {
    // "example.com" at 12, then "www" + pointer to it at 25.
    const std::string m = header(1, 0, 0, 0) + "\7example\3com\0"s + "\3www\xc0\x0c"s;
    std::size_t offset = 25;
    std::string error;
    const auto name = read_dns_name(m, offset, error);
    ASSERT_TRUE(name) << error;
    EXPECT_EQ(*name, "www.example.com");
    EXPECT_EQ(offset, m.size());
    offset = 12;
    EXPECT_EQ(read_dns_name(m, offset, error).value_or("?"), "example.com");
    EXPECT_EQ(offset, 25U);
}

TEST(DnsName, PointerLoopsAreRefused) {
    std::string error;
    // A pointer to itself.
    const std::string self_loop = header(1, 0, 0, 0) + "\xc0\x0c"s;
    std::size_t offset = 12;
    EXPECT_FALSE(read_dns_name(self_loop, offset, error));
    EXPECT_EQ(error, "compression pointer loop");
    // Two pointers to each other, and a loop through labels.
    const std::string pair = header(1, 0, 0, 0) + "\xc0\x0e\xc0\x0c"s;
    offset = 12;
    EXPECT_FALSE(read_dns_name(pair, offset, error));
    EXPECT_EQ(error, "compression pointer loop");
    const std::string labels = header(1, 0, 0, 0) + "\x3f"s + std::string(63, 'a') + "\xc0\x0c"s;
    offset = 12;
    EXPECT_FALSE(read_dns_name(labels, offset, error));
    EXPECT_EQ(error, "name longer than 255 bytes");
    const std::string short_labels = header(1, 0, 0, 0) + "\1a\xc0\x0c"s;
    offset = 12;
    EXPECT_FALSE(read_dns_name(short_labels, offset, error));
    EXPECT_EQ(error, "compression pointer loop");
    // A loop in a whole response is a malformed response, not a hang.
    const std::string reply = header(7, 0x8180, 1, 1) + question() + "\xc0\x21"s + u16(1) + u16(1) +
                              u16(0) + u16(0) + u16(4) + "abcd"s;
    EXPECT_FALSE(parse_dns_response(reply, 7, "www.example.com", dns_type::a, error));
    EXPECT_EQ(error, "compression pointer loop");
}

TEST(DnsName, OutOfRangeAndReservedLabels) {
    std::string error;
    std::size_t offset = 12;
    EXPECT_FALSE(read_dns_name(header(1, 0, 0, 0) + "\xc0\xff"s, offset, error));
    EXPECT_EQ(error, "compression pointer out of range");
    offset = 12;
    EXPECT_FALSE(read_dns_name(header(1, 0, 0, 0) + "\x40\x00"s, offset, error));
    EXPECT_EQ(error, "unsupported label type");
    offset = 12;
    EXPECT_FALSE(read_dns_name(header(1, 0, 0, 0) + "\5abc"s, offset, error));
    EXPECT_EQ(error, "name runs past the end of the message");
}

}  // namespace
}  // namespace sluice::checks
