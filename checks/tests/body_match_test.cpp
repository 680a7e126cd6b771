// The small pure pieces of the HTTP and UDP checks: status ranges, the
// request, the MD5 digest, the body regex and the UDP reply matcher.
#include <string>

#include <gtest/gtest.h>

#include "checks/body_regex.h"
#include "checks/http_request.h"
#include "checks/md5_digest.h"
#include "checks/status_ranges.h"
#include "checks/udp_reply.h"

namespace sluice::checks {
namespace {

TEST(StatusRanges, EmptyMeans200To299) {
    EXPECT_TRUE(status_matches({}, 200));
    EXPECT_TRUE(status_matches({}, 299));
    EXPECT_FALSE(status_matches({}, 199));
    EXPECT_FALSE(status_matches({}, 300));
    EXPECT_FALSE(status_matches({}, 503));
}

TEST(StatusRanges, CodesAndRanges) {
    const std::vector<StatusRange> ranges{{200, 200}, {301, 302}, {500, 599}};
    EXPECT_TRUE(status_matches(ranges, 200));
    EXPECT_FALSE(status_matches(ranges, 201));
    EXPECT_TRUE(status_matches(ranges, 301));
    EXPECT_TRUE(status_matches(ranges, 302));
    EXPECT_FALSE(status_matches(ranges, 303));
    EXPECT_TRUE(status_matches(ranges, 503));
    EXPECT_FALSE(status_matches(ranges, 404));
}

TEST(HttpRequest, GetWithHostAndConnectionClose) {
    std::string error;
    const auto request = build_http_get("/health?x=1", "www.example.com", error);
    ASSERT_TRUE(request);
    EXPECT_EQ(*request,
              "GET /health?x=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: sluice-check\r\n"
              "Accept: */*\r\nConnection: close\r\n\r\n");
}

TEST(HttpRequest, DefaultHostLeavesOutTheSchemePort) {
    EXPECT_EQ(default_host("10.0.0.1", 80, false), "10.0.0.1");
    EXPECT_EQ(default_host("10.0.0.1", 8080, false), "10.0.0.1:8080");
    EXPECT_EQ(default_host("10.0.0.1", 443, true), "10.0.0.1");
    EXPECT_EQ(default_host("10.0.0.1", 80, true), "10.0.0.1:80");
}

TEST(HttpRequest, RefusesPathsAndHostsThatWouldInjectLines) {
    std::string error;
    EXPECT_FALSE(build_http_get("/a b", "h", error));
    EXPECT_EQ(error, "invalid path");
    EXPECT_FALSE(build_http_get("/a\r\nX-Evil: 1", "h", error));
    EXPECT_FALSE(build_http_get("", "h", error));
    EXPECT_FALSE(build_http_get("/", "h\r\nX: y", error));
    EXPECT_EQ(error, "invalid host");
    EXPECT_FALSE(build_http_get("/", "", error));
}

TEST(Md5Digest, KnownValues) {
    EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_hex("The quick brown fox jumps over the lazy dog"),
              "9e107d9d372bb6826bd81d3542a419d6");
}

TEST(Md5Digest, StreamingEqualsOneShot) {
    std::string body;
    for (int i = 0; i < 10000; ++i) {
        body += std::to_string(i);
    }
    Md5Digest digest;
    for (std::size_t i = 0; i < body.size(); i += 777) {
        digest.update(std::string_view(body).substr(i, 777));
    }
    EXPECT_EQ(digest.finish_hex(), md5_hex(body));
}

TEST(Md5Digest, ComparisonIgnoresCase) {
    EXPECT_TRUE(
        digest_equals("D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"));
    EXPECT_FALSE(
        digest_equals("d41d8cd98f00b204e9800998ecf8427f", "d41d8cd98f00b204e9800998ecf8427e"));
    EXPECT_FALSE(digest_equals("d41d", "d41d8cd98f00b204e9800998ecf8427e"));
}

TEST(BodyRegex, PosixExtendedSearch) {
    const BodyRegex re("status: (ok|up)");
    ASSERT_TRUE(re.valid());
    EXPECT_TRUE(re.search("<html>status: up</html>"));
    EXPECT_TRUE(re.search("status: ok"));
    EXPECT_FALSE(re.search("status: down"));
    EXPECT_FALSE(re.search(""));
    const BodyRegex anchored("^OK$");
    EXPECT_TRUE(anchored.search("OK"));
    EXPECT_FALSE(anchored.search("NOT OK"));
}

TEST(BodyRegex, InvalidPatternIsReported) {
    const BodyRegex re("(unclosed");
    EXPECT_FALSE(re.valid());
    EXPECT_FALSE(re.error().empty());
    EXPECT_FALSE(re.search("(unclosed"));
}

TEST(BodyRegex, SearchesPastNulBytes) {
    const BodyRegex re("needle");
    const std::string body = std::string("hay\0stack\0", 10) + "needle";
    EXPECT_TRUE(re.search(body));
}

TEST(BodyRegex, LargeBodyDoesNotExhaustTheStack) {
    // std::regex overflows the stack here (one recursion per character).
    const std::string body = std::string(1024 * 1024, 'a') + "OK";
    EXPECT_TRUE(BodyRegex("a*OK").search(body));
    EXPECT_TRUE(BodyRegex("(a|b)*K").search(body));
    EXPECT_FALSE(BodyRegex("a*NO").search(body));
}

TEST(UdpReply, EmptyRequirementTakesAnything) {
    EXPECT_TRUE(reply_matches("", ""));
    EXPECT_TRUE(reply_matches("pong", ""));
}

TEST(UdpReply, ReplyMustBeginWithTheRequiredBytes) {
    EXPECT_TRUE(reply_matches("pong", "pong"));
    EXPECT_TRUE(reply_matches("pong 42", "pong"));
    EXPECT_FALSE(reply_matches("pon", "pong"));
    EXPECT_FALSE(reply_matches("PONG", "pong"));
    EXPECT_FALSE(reply_matches("xpong", "pong"));
    EXPECT_TRUE(reply_matches(std::string("\0\1x", 3), std::string("\0\1", 2)));
    EXPECT_FALSE(reply_matches(std::string("\0\2x", 3), std::string("\0\1", 2)));
}

}  // namespace
}  // namespace sluice::checks
