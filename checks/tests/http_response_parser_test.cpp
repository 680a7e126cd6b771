#include "checks/http_response_parser.h"

#include <string>

#include <gtest/gtest.h>

namespace sluice::checks {
namespace {

using Status = HttpResponseParser::Status;
using namespace std::string_literals;

// Feeds `text` in one piece and, as a second parser, one byte at a time; both
// must agree. Returns the one-piece parser.
HttpResponseParser parse(const std::string& text, bool close = false, HttpLimits limits = {}) {
    HttpResponseParser whole(limits);
    whole.feed(text);
    HttpResponseParser bytes(limits);
    for (char c : text) {
        bytes.feed(std::string_view(&c, 1));
    }
    if (close) {
        whole.finish();
        bytes.finish();
    }
    EXPECT_EQ(whole.status(), bytes.status()) << text;
    EXPECT_EQ(whole.error(), bytes.error()) << text;
    EXPECT_EQ(whole.body(), bytes.body()) << text;
    EXPECT_EQ(whole.status_code(), bytes.status_code()) << text;
    return whole;
}

std::string error_of(const std::string& text, bool close = false) {
    const HttpResponseParser p = parse(text, close);
    EXPECT_EQ(p.status(), Status::failed) << text;
    return p.error();
}

TEST(HttpResponseParser, ContentLength) {
    const auto p = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello");
    EXPECT_EQ(p.status(), Status::complete);
    EXPECT_TRUE(p.headers_complete());
    EXPECT_EQ(p.status_code(), 200);
    EXPECT_EQ(p.reason_phrase(), "OK");
    EXPECT_EQ(p.body(), "hello");
    EXPECT_FALSE(p.body_truncated());
    ASSERT_EQ(p.headers().size(), 2U);
    EXPECT_EQ(p.header("content-length").value_or(""), "5");
    EXPECT_EQ(p.header("SERVER").value_or(""), "x");
    EXPECT_FALSE(p.header("Date"));
}

TEST(HttpResponseParser, NeedsMoreUntilTheBodyIsComplete) {
    HttpResponseParser p;
    EXPECT_EQ(p.feed("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n"),
              Status::need_more);
    EXPECT_FALSE(p.headers_complete());
    EXPECT_EQ(p.feed("\r\nab"), Status::need_more);
    EXPECT_TRUE(p.headers_complete());
    EXPECT_EQ(p.status_code(), 500);
    EXPECT_EQ(p.feed("cd"), Status::complete);
    EXPECT_EQ(p.body(), "abcd");
    EXPECT_EQ(p.feed("trailing junk"), Status::complete);  // ignored
    EXPECT_EQ(p.body(), "abcd");
}

TEST(HttpResponseParser, StatusLineForms) {
    EXPECT_EQ(parse("HTTP/1.0 200\r\n\r\n", true).status(), Status::complete);
    EXPECT_EQ(parse("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n").status_code(), 404);
    EXPECT_EQ(
        parse("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n").reason_phrase(),
        "Service Unavailable");
    EXPECT_EQ(error_of("HTTP/2.0 200 OK\r\n\r\n"), "unsupported HTTP version 2.0");
    EXPECT_EQ(error_of("HTTP/1.1 20 OK\r\n\r\n"), "bad status code");
    EXPECT_EQ(error_of("HTTP/1.1 2000 OK\r\n\r\n"), "bad status code");
    EXPECT_EQ(error_of("HTTP/1.1 600 Odd\r\n\r\n"), "bad status code 600");
    EXPECT_EQ(error_of("HTTP/1.1 099 Odd\r\n\r\n"), "bad status code 099");
    EXPECT_EQ(error_of("HTTP/1.1  200 OK\r\n\r\n"), "bad status code");
    EXPECT_EQ(error_of("HTTP/1.1 200 O\x01K\r\n\r\n"), "bad character in the reason phrase");
    EXPECT_EQ(error_of("HTTP/1.1\r\n\r\n"), "not an HTTP/1.x status line");
    EXPECT_EQ(error_of("http/1.1 200 OK\r\n\r\n"), "not an HTTP/1.x status line");
}

TEST(HttpResponseParser, GarbageFailsWithoutWaitingForALineEnd) {
    HttpResponseParser p;
    EXPECT_EQ(p.feed("SSH-2.0-OpenSSH_9.2"), Status::failed);
    EXPECT_EQ(p.error(), "not an HTTP/1.x status line");
    HttpResponseParser q;
    EXPECT_EQ(q.feed("HTT"), Status::need_more);
    EXPECT_EQ(q.feed("X"), Status::failed);
}

TEST(HttpResponseParser, LinesMustEndInCrlf) {
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\n\n"), "line ends in a bare LF");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nA: b\n\r\n"), "line ends in a bare LF");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n"), "bare CR in a line");
}

TEST(HttpResponseParser, StrictHeaderFields) {
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nA: b\r\n continued\r\n\r\n"), "obsolete line folding");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"), "malformed header field");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n"), "malformed header field");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nName : v\r\n\r\n"), "malformed header field name");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nA(b): v\r\n\r\n"), "malformed header field name");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nA: x\0y\r\n\r\n"s), "bad character in header field A");
    const auto p = parse(
        "HTTP/1.1 200 OK\r\nX-Spaces: \t padded value \t\r\nX-Empty:\r\n"
        "Content-Length: 0\r\n\r\n");
    EXPECT_EQ(p.status(), Status::complete);
    EXPECT_EQ(p.header("x-spaces").value_or(""), "padded value");
    EXPECT_EQ(p.header("x-empty").value_or("?"), "");
}

TEST(HttpResponseParser, TooManyHeaderFields) {
    HttpLimits limits;
    limits.max_header_fields = 3;
    HttpResponseParser p(limits);
    p.feed("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n");
    EXPECT_EQ(p.status(), Status::need_more);
    EXPECT_EQ(p.feed("D: 4\r\n\r\n"), Status::failed);
    EXPECT_EQ(p.error(), "more than 3 header fields");
}

TEST(HttpResponseParser, EndlessHeadersAreCutAtTheLimit) {
    HttpResponseParser p;
    p.feed("HTTP/1.1 200 OK\r\n");
    std::size_t fed = 0;
    const std::string field = "X-Filler: " + std::string(300, 'a') + "\r\n";
    while (p.status() == Status::need_more && fed < 10 * 1024 * 1024) {
        p.feed(field);
        fed += field.size();
        EXPECT_LE(p.buffered(), 16U * 1024U);
    }
    EXPECT_EQ(p.status(), Status::failed);
    EXPECT_EQ(p.error(), "header section larger than 16384 bytes");
    EXPECT_LE(fed, 16U * 1024U + field.size());
    EXPECT_EQ(p.feed(field), Status::failed);
}

TEST(HttpResponseParser, OneEndlessLineIsCutAtTheLimit) {
    HttpResponseParser p;
    p.feed("HTTP/1.1 200 OK\r\nX-Long: ");
    const std::string chunk(4096, 'b');
    for (int i = 0; i < 100 && p.status() == Status::need_more; ++i) {
        p.feed(chunk);
        EXPECT_LE(p.buffered(), 16U * 1024U);
    }
    EXPECT_EQ(p.status(), Status::failed);
    EXPECT_EQ(p.buffered(), 0U);
    // Also in the status line.
    HttpResponseParser q;
    q.feed("HTTP/1.1 200 ");
    for (int i = 0; i < 100 && q.status() == Status::need_more; ++i) {
        q.feed(chunk);
    }
    EXPECT_EQ(q.error(), "header section larger than 16384 bytes");
}

TEST(HttpResponseParser, InterimResponsesAreSkipped) {
    const auto p = parse(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    EXPECT_EQ(p.status(), Status::complete);
    EXPECT_EQ(p.status_code(), 200);
    EXPECT_EQ(p.headers().size(), 1U);
    EXPECT_EQ(p.body(), "ok");
    EXPECT_EQ(error_of("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"),
              "unexpected 101 Switching Protocols");
}

TEST(HttpResponseParser, NoBodyFor204And304) {
    EXPECT_EQ(parse("HTTP/1.1 204 No Content\r\n\r\n").status(), Status::complete);
    EXPECT_EQ(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n").status(),
              Status::complete);
}

TEST(HttpResponseParser, ContentLengthRules) {
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok").body(),
              "ok");
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok").body(), "ok");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"),
              "conflicting Content-Length");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok"), "bad Content-Length");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n"), "bad Content-Length");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"), "bad Content-Length");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"),
              "bad Content-Length");
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").status(), Status::complete);
}

TEST(HttpResponseParser, ShortBodyAtCloseFails) {
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true),
              "connection closed after 3 of 10 body bytes");
    EXPECT_EQ(error_of("", true), "connection closed without a response");
    EXPECT_EQ(error_of("HTTP/1.1 200", true), "connection closed in the status line");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nA: b\r\n", true),
              "connection closed in the header section");
}

TEST(HttpResponseParser, BodyUntilClose) {
    const auto p = parse("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nall of it", true);
    EXPECT_EQ(p.status(), Status::complete);
    EXPECT_EQ(p.body(), "all of it");
    HttpResponseParser q;
    EXPECT_EQ(q.feed("HTTP/1.1 200 OK\r\n\r\nmore"), Status::need_more);
    EXPECT_EQ(q.finish(), Status::complete);
}

TEST(HttpResponseParser, Chunked) {
    const auto p = parse(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n1;name=value\r\n \r\nA \r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
    EXPECT_EQ(p.status(), Status::complete);
    EXPECT_TRUE(p.chunked());
    EXPECT_EQ(p.body(), "hello 0123456789");
    EXPECT_EQ(
        parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n").status(),
        Status::complete);
    EXPECT_EQ(
        parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n").body(),
        "ok");
}

TEST(HttpResponseParser, ChunkedErrors) {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    EXPECT_EQ(error_of(head + "x\r\n"), "bad chunk size");
    EXPECT_EQ(error_of(head + "5 x\r\n"), "bad chunk size");
    EXPECT_EQ(error_of(head + "\r\n"), "bad chunk size");
    EXPECT_EQ(error_of(head + "10000000000000000\r\n"), "chunk size too large");
    EXPECT_EQ(parse(head + "ffffffffffffffff\r\n").status(), Status::need_more);  // fits
    EXPECT_EQ(error_of(head + "2\r\nokX\r\n"), "no CRLF after chunk data");
    EXPECT_EQ(error_of(head + "2\r\nok\n"), "line ends in a bare LF");
    EXPECT_EQ(error_of(head + "1;" + std::string(2000, 'e') + "\r\n"), "chunk-size line too long");
    EXPECT_EQ(error_of(head + "2\r\nok\r\n0\r\nbad trailer\r\n\r\n"), "malformed trailer field");
    EXPECT_EQ(error_of(head + "2\r\nok\r\n", true), "connection closed in the chunked body");
    EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
              "chunked is not the final transfer coding");
    EXPECT_EQ(
        error_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n"),
        "both Transfer-Encoding and Content-Length");
}

TEST(HttpResponseParser, OtherTransferCodingRunsUntilClose) {
    const auto p = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", true);
    EXPECT_EQ(p.status(), Status::complete);
    EXPECT_EQ(p.body(), "zz");
}

TEST(HttpResponseParser, BodyKeptIsBoundedButTheSinkSeesAll) {
    std::uint64_t seen = 0;
    HttpResponseParser p({}, [&seen](std::string_view data) { seen += data.size(); });
    const std::uint64_t total = 5 * 1024 * 1024;
    p.feed("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(total) + "\r\n\r\n");
    const std::string chunk(64 * 1024, 'z');
    for (std::uint64_t sent = 0; sent < total; sent += chunk.size()) {
        p.feed(chunk);
    }
    EXPECT_EQ(p.status(), Status::complete);
    EXPECT_EQ(p.body().size(), 1024U * 1024U);
    EXPECT_TRUE(p.body_truncated());
    EXPECT_EQ(p.body_bytes(), total);
    EXPECT_EQ(seen, total);
}

TEST(HttpResponseParser, ChunkedTrailersShareTheHeaderBudget) {
    HttpLimits limits;
    limits.max_header_bytes = 200;
    HttpResponseParser p(limits);
    p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
    for (int i = 0; i < 100 && p.status() == Status::need_more; ++i) {
        p.feed("T: 0123456789\r\n");
    }
    EXPECT_EQ(p.status(), Status::failed);
    EXPECT_EQ(p.error(), "header section larger than 200 bytes");
}

}  // namespace
}  // namespace sluice::checks
