// Every checker against in-process servers on 127.0.0.1 (port 0), all on the
// test's io_context. Timeouts are generous safety nets except where a hang is
// the point (200 ms).
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>
#include <gtest/gtest.h>

#include "checks/checker.h"
#include "checks/dns_message.h"
#include "checks/md5_digest.h"
#include "checks/tests/test_certificate.h"
#include "checks/tests/test_servers.h"
#include "checks/tls_context_cache.h"
#include "controlplane/process/process_runner.h"

namespace sluice::checks {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using testing::HttpServer;
using testing::UdpServer;
using Mode = HttpServer::Mode;

constexpr auto kGenerous = 30s;  // only a safety net against a hung test
constexpr auto kHang = 200ms;    // the timeout where a hang is what is tested

const common::Ipv4Addr kLoopback{0x7f000001};

std::string http_response(const std::string& status, const std::string& body) {
    return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nContent-Type: text/plain\r\n\r\n" + body;
}

CheckSpec spec_of(CheckType type, std::chrono::microseconds timeout = kGenerous) {
    CheckSpec spec;
    spec.type = type;
    spec.connect_timeout = timeout;
    return spec;
}

class CheckersTest : public ::testing::Test {
  protected:
    CheckTarget target(std::uint16_t port) const {
        return CheckTarget{kLoopback, port, std::nullopt};
    }

    // Runs one attempt to its end; checks that `done` is called exactly once
    // and never from within start().
    CheckResult run_check(const CheckSpec& spec, const CheckTarget& where) {
        auto checker = make_checker(io_, runner_, spec, where, tls_);
        std::optional<CheckResult> result;
        int calls = 0;
        bool started = false;
        checker->start([&](CheckResult r) {
            EXPECT_TRUE(started) << "done called from within start()";
            result = std::move(r);
            ++calls;
        });
        started = true;
        run_until([&] { return result.has_value(); });
        EXPECT_EQ(calls, 1);
        if (!result) {
            ADD_FAILURE() << "no result";
            return {};
        }
        return *result;
    }

    template <class Pred>
    void run_until(Pred pred, std::chrono::steady_clock::duration limit = kGenerous) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred() && std::chrono::steady_clock::now() < deadline) {
            io_.run_one_for(50ms);
        }
        io_.restart();
    }

    // Runs the loop for a moment (lets servers notice closed connections).
    void settle() {
        io_.run_for(50ms);
        io_.restart();
    }

    boost::asio::io_context io_;
    process::ProcessRunner runner_{io_};
    TlsContextCache tls_;
};

// --- TCP -------------------------------------------------------------------

TEST_F(CheckersTest, TcpConnects) {
    HttpServer server(io_, Mode::hang);
    const CheckResult r = run_check(spec_of(CheckType::tcp), target(server.port()));
    EXPECT_TRUE(r.success);
    EXPECT_EQ(r.reason, "connected");
    EXPECT_LT(r.latency, kGenerous);
    run_until([&] { return server.stats().closed_by_client == 1; });
    EXPECT_EQ(server.stats().accepted, 1U);
    EXPECT_EQ(server.stats().closed_by_client, 1U) << "the checker closes its connection";
}

TEST_F(CheckersTest, TcpRefused) {
    const CheckResult r = run_check(spec_of(CheckType::tcp), target(testing::closed_tcp_port(io_)));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "connection refused");
}

TEST_F(CheckersTest, TcpBindto) {
    HttpServer server(io_, Mode::hang);
    CheckTarget where = target(server.port());
    where.bindto = kLoopback;
    EXPECT_TRUE(run_check(spec_of(CheckType::tcp), where).success);
    where.bindto = common::Ipv4Addr{0xc0000201};  // 192.0.2.1: not ours
    const CheckResult r = run_check(spec_of(CheckType::tcp), where);
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "bind 192.0.2.1: cannot assign requested address");
}

// --- HTTP ------------------------------------------------------------------

TEST_F(CheckersTest, Http200) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", "hello"));
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.path = "/health";
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_TRUE(r.success) << r.reason;
    EXPECT_EQ(r.reason, "status 200");
    ASSERT_EQ(server.stats().requests.size(), 1U);
    const std::string& request = server.stats().requests[0];
    EXPECT_EQ(request.rfind("GET /health HTTP/1.1\r\n", 0), 0U) << request;
    EXPECT_NE(request.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos)
        << request;
    EXPECT_NE(request.find("\r\nConnection: close\r\n"), std::string::npos) << request;
}

TEST_F(CheckersTest, Http500) {
    HttpServer server(io_, Mode::respond, http_response("500 Internal Server Error", "oops"));
    const CheckResult r = run_check(spec_of(CheckType::http), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "status 500");
}

TEST_F(CheckersTest, HttpStatusRanges) {
    HttpServer server(io_, Mode::respond, http_response("503 Service Unavailable", ""));
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.status_codes = {{200, 200}, {500, 599}};
    EXPECT_TRUE(run_check(spec, target(server.port())).success);
    spec.http.status_codes = {{200, 299}, {504, 504}};
    EXPECT_EQ(run_check(spec, target(server.port())).reason, "status 503");
}

TEST_F(CheckersTest, HttpVirtualhostIsTheHostField) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""));
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.virtualhost = "www.example.test";
    EXPECT_TRUE(run_check(spec, target(server.port())).success);
    ASSERT_EQ(server.stats().requests.size(), 1U);
    EXPECT_NE(server.stats().requests[0].find("\r\nHost: www.example.test\r\n"), std::string::npos);
}

TEST_F(CheckersTest, HttpBodyRegex) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", "<p>status: healthy</p>"));
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.body_regex = "status: (healthy|ok)";
    EXPECT_TRUE(run_check(spec, target(server.port())).success);
    spec.http.body_regex = "status: down";
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "body does not match");
}

TEST_F(CheckersTest, HttpInvalidRegexFailsEveryAttempt) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""));
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.body_regex = "(";
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason.rfind("invalid body_regex: ", 0), 0U) << r.reason;
    EXPECT_EQ(server.stats().accepted, 0U);
}

TEST_F(CheckersTest, HttpDigest) {
    const std::string body = "the page\n";
    HttpServer server(io_, Mode::respond, http_response("200 OK", body));
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.digest = md5_hex(body);
    EXPECT_TRUE(run_check(spec, target(server.port())).success);
    spec.http.digest = md5_hex("another page\n");
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "digest does not match: got " + md5_hex(body));
}

TEST_F(CheckersTest, HttpChunkedBody) {
    HttpServer server(io_, Mode::respond,
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "6\r\nstatus\r\n4;x=y\r\n: ok\r\n0\r\n\r\n");
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.body_regex = "^status: ok$";
    spec.http.digest = md5_hex("status: ok");
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_TRUE(r.success) << r.reason;
}

TEST_F(CheckersTest, HttpBodyUntilClose) {
    HttpServer server(io_, Mode::respond, "HTTP/1.0 200 OK\r\n\r\nold server");
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.digest = md5_hex("old server");
    EXPECT_TRUE(run_check(spec, target(server.port())).success);
}

TEST_F(CheckersTest, HttpGarbage) {
    HttpServer server(io_, Mode::respond, "garbage\r\n\r\n");
    const CheckResult r = run_check(spec_of(CheckType::http), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "bad response: not an HTTP/1.x status line");
}

TEST_F(CheckersTest, HttpTruncatedResponse) {
    HttpServer server(io_, Mode::respond, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.body_regex = "short";
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "bad response: connection closed after 5 of 100 body bytes");
}

TEST_F(CheckersTest, HttpEndlessHeadersAreBounded) {
    HttpServer server(io_, Mode::endless_headers);
    const CheckResult r = run_check(spec_of(CheckType::http), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "bad response: header section larger than 16384 bytes");
    run_until([&] { return server.stats().closed_by_client == 1; });
    EXPECT_EQ(server.stats().closed_by_client, 1U);
}

TEST_F(CheckersTest, HttpHangTimesOut) {
    HttpServer server(io_, Mode::hang);
    const CheckResult r = run_check(spec_of(CheckType::http, kHang), target(server.port()));
    EXPECT_FALSE(r.success);
    // "(waiting for the response)" unless the machine is very slow.
    EXPECT_EQ(r.reason.rfind("timeout after 200 ms (", 0), 0U) << r.reason;
    EXPECT_GE(r.latency, kHang);
    run_until([&] { return server.stats().closed_by_client == 1; });
    EXPECT_EQ(server.stats().closed_by_client, 1U) << "the socket is closed on timeout";
}

TEST_F(CheckersTest, HttpEndlessBodyTimesOut) {
    HttpServer server(io_, Mode::endless_body);
    CheckSpec spec = spec_of(CheckType::http, kHang);
    spec.http.digest = md5_hex("");
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_FALSE(r.success);
    // "(reading the body)" unless the machine is very slow.
    EXPECT_EQ(r.reason.rfind("timeout after 200 ms (", 0), 0U) << r.reason;
}

TEST_F(CheckersTest, HttpWithoutBodyChecksDoesNotWaitForTheBody) {
    HttpServer server(io_, Mode::endless_body);
    const CheckResult r = run_check(spec_of(CheckType::http), target(server.port()));
    EXPECT_TRUE(r.success) << r.reason;
    EXPECT_EQ(r.reason, "status 200");
}

TEST_F(CheckersTest, HttpRefused) {
    const CheckResult r =
        run_check(spec_of(CheckType::http), target(testing::closed_tcp_port(io_)));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "connection refused");
}

// --- HTTPS -----------------------------------------------------------------

class HttpsTest : public CheckersTest {
  protected:
    HttpsTest()
        : certificate_(testing::make_self_signed_certificate("backend.test")),
          ca_file_(certificate_.certificate_pem),
          other_ca_file_(testing::make_self_signed_certificate("other.test").certificate_pem) {
        server_context_.use_certificate(boost::asio::buffer(certificate_.certificate_pem),
                                        boost::asio::ssl::context::pem);
        server_context_.use_private_key(boost::asio::buffer(certificate_.private_key_pem),
                                        boost::asio::ssl::context::pem);
    }

    CheckSpec https(bool verify, const std::string& ca_file, const std::string& sni) const {
        CheckSpec spec = spec_of(CheckType::https);
        spec.tls.verify = verify;
        spec.tls.ca_file = ca_file;
        spec.tls.sni = sni;
        return spec;
    }

    testing::TestCertificate certificate_;
    testing::TempFile ca_file_;
    testing::TempFile other_ca_file_;
    boost::asio::ssl::context server_context_{boost::asio::ssl::context::tls_server};
};

TEST_F(HttpsTest, VerifyOff) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", "secure"), &server_context_);
    CheckSpec spec = https(false, "", "");
    spec.http.body_regex = "secure";
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_TRUE(r.success) << r.reason;
    ASSERT_EQ(server.stats().server_names.size(), 1U);
    EXPECT_EQ(server.stats().server_names[0], "") << "no SNI without sni or virtualhost";
}

TEST_F(HttpsTest, VerifyWithTheRightCaAndSni) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""), &server_context_);
    const CheckResult r =
        run_check(https(true, ca_file_.path(), "backend.test"), target(server.port()));
    EXPECT_TRUE(r.success) << r.reason;
    ASSERT_EQ(server.stats().server_names.size(), 1U);
    EXPECT_EQ(server.stats().server_names[0], "backend.test");
}

TEST_F(HttpsTest, SniFallsBackToTheVirtualhost) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""), &server_context_);
    CheckSpec spec = https(true, ca_file_.path(), "");
    spec.http.virtualhost = "backend.test:8443";
    EXPECT_TRUE(run_check(spec, target(server.port())).success);
    ASSERT_EQ(server.stats().server_names.size(), 1U);
    EXPECT_EQ(server.stats().server_names[0], "backend.test");
    ASSERT_EQ(server.stats().requests.size(), 1U);
    EXPECT_NE(server.stats().requests[0].find("\r\nHost: backend.test:8443\r\n"),
              std::string::npos);
}

TEST_F(HttpsTest, VerifyAnIpAddressName) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""), &server_context_);
    const CheckResult r =
        run_check(https(true, ca_file_.path(), "127.0.0.1"), target(server.port()));
    EXPECT_TRUE(r.success) << r.reason;
    EXPECT_EQ(server.stats().server_names.at(0), "") << "an IP address is never sent as SNI";
}

TEST_F(HttpsTest, VerifyWithAWrongCa) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""), &server_context_);
    const CheckResult r =
        run_check(https(true, other_ca_file_.path(), "backend.test"), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason.rfind("TLS handshake: certificate verify failed: ", 0), 0U) << r.reason;
}

TEST_F(HttpsTest, VerifyTheName) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""), &server_context_);
    const CheckResult r =
        run_check(https(true, ca_file_.path(), "other.test"), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "TLS handshake: certificate verify failed: hostname mismatch");
}

TEST_F(HttpsTest, UnreadableCaFile) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""), &server_context_);
    const CheckResult r =
        run_check(https(true, "/nonexistent/ca.pem", "backend.test"), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason.rfind("CA file /nonexistent/ca.pem: ", 0), 0U) << r.reason;
    EXPECT_EQ(server.stats().accepted, 0U);
}

TEST_F(HttpsTest, PlainHttpServer) {
    HttpServer server(io_, Mode::greet, http_response("200 OK", ""));
    const CheckResult r = run_check(https(false, "", ""), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason.rfind("TLS handshake: ", 0), 0U) << r.reason;
}

TEST_F(HttpsTest, ContextsAreShared) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""), &server_context_);
    EXPECT_TRUE(
        run_check(https(true, ca_file_.path(), "backend.test"), target(server.port())).success);
    EXPECT_TRUE(
        run_check(https(true, ca_file_.path(), "backend.test"), target(server.port())).success);
    EXPECT_TRUE(run_check(https(false, "", ""), target(server.port())).success);
    EXPECT_EQ(tls_.size(), 2U);
}

// --- UDP -------------------------------------------------------------------

TEST_F(CheckersTest, UdpEcho) {
    UdpServer echo(io_, [](std::string_view request) { return std::string(request); });
    CheckSpec spec = spec_of(CheckType::udp);
    spec.udp.payload = "ping";
    spec.udp.require_reply = "ping";
    const CheckResult r = run_check(spec, target(echo.port()));
    EXPECT_TRUE(r.success) << r.reason;
    EXPECT_EQ(r.reason, "reply received");
}

TEST_F(CheckersTest, UdpReplyMismatch) {
    UdpServer server(io_, [](std::string_view) { return std::string("nope"); });
    CheckSpec spec = spec_of(CheckType::udp);
    spec.udp.payload = "ping";
    spec.udp.require_reply = "pong";
    const CheckResult r = run_check(spec, target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "reply does not match");
}

TEST_F(CheckersTest, UdpNoReply) {
    UdpServer silent(io_, [](std::string_view) { return std::nullopt; });
    CheckSpec spec = spec_of(CheckType::udp, kHang);
    spec.udp.payload = "ping";
    const CheckResult r = run_check(spec, target(silent.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "no reply within 200 ms");
    EXPECT_EQ(silent.received(), 1U);
}

TEST_F(CheckersTest, UdpPortUnreachable) {
    CheckSpec spec = spec_of(CheckType::udp);
    spec.udp.payload = "ping";
    const CheckResult r = run_check(spec, target(testing::closed_udp_port(io_)));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "connection refused");
}

// --- DNS -------------------------------------------------------------------

// Answers a query as an authoritative server would: the header with QR set and
// `rcode`, the question copied, and an A record (by a compression pointer to
// the question's name) when `answer`.
std::optional<std::string> dns_answer(std::string_view query, unsigned rcode, bool answer) {
    if (query.size() < 12) {
        return std::nullopt;
    }
    std::string reply(query);
    reply[2] = static_cast<char>(0x84 | (query[2] & 0x01));  // QR, AA, RD copied
    reply[3] = static_cast<char>(rcode);
    reply[7] = answer ? 1 : 0;  // ANCOUNT
    if (answer) {
        reply += "\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc6\x12\x00\x01"s;
    }
    return reply;
}

CheckSpec dns_spec(const std::string& name, std::uint16_t type,
                   std::chrono::microseconds timeout = kGenerous) {
    CheckSpec spec = spec_of(CheckType::dns, timeout);
    spec.dns.name = name;
    spec.dns.type = type;
    return spec;
}

TEST_F(CheckersTest, DnsNoErrorWithAnARecord) {
    std::string question;
    UdpServer server(io_, [&question](std::string_view q) {
        question = std::string(q.substr(12));
        return dns_answer(q, 0, true);
    });
    const CheckResult r =
        run_check(dns_spec("www.example.test", dns_type::a), target(server.port()));
    EXPECT_TRUE(r.success) << r.reason;
    EXPECT_EQ(r.reason, "NOERROR, 1 answer");
    EXPECT_EQ(question, "\3www\7example\4test\0\0\1\0\1"s);
}

TEST_F(CheckersTest, DnsRequireAnswer) {
    UdpServer empty(io_, [](std::string_view q) { return dns_answer(q, 0, false); });
    CheckSpec spec = dns_spec("www.example.test", dns_type::a);
    EXPECT_TRUE(run_check(spec, target(empty.port())).success);
    spec.dns.require_answer = true;
    const CheckResult r = run_check(spec, target(empty.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "no A answer");
}

TEST_F(CheckersTest, DnsNxdomain) {
    UdpServer server(io_, [](std::string_view q) { return dns_answer(q, 3, false); });
    const CheckResult r =
        run_check(dns_spec("missing.example.test", dns_type::aaaa), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "rcode NXDOMAIN");
}

TEST_F(CheckersTest, DnsGarbage) {
    UdpServer server(io_, [](std::string_view) { return std::string("garbage"); });
    const CheckResult r =
        run_check(dns_spec("www.example.test", dns_type::a), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "bad response: message shorter than a DNS header");
}

TEST_F(CheckersTest, DnsCompressionLoop) {
    UdpServer server(io_, [](std::string_view q) {
        auto reply = dns_answer(q, 0, true);
        // Point the answer's name at itself.
        const std::size_t answer = reply->size() - 16;
        (*reply)[answer + 1] = static_cast<char>(answer);
        return reply;
    });
    const CheckResult r =
        run_check(dns_spec("www.example.test", dns_type::a), target(server.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "bad response: compression pointer loop");
}

TEST_F(CheckersTest, DnsNoReply) {
    UdpServer silent(io_, [](std::string_view) { return std::nullopt; });
    const CheckResult r =
        run_check(dns_spec("www.example.test", dns_type::a, kHang), target(silent.port()));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "no reply within 200 ms");
}

TEST_F(CheckersTest, DnsInvalidName) {
    const CheckResult r = run_check(dns_spec("a..b", dns_type::a), target(53));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason.rfind("invalid name: ", 0), 0U) << r.reason;
}

// --- MISC ------------------------------------------------------------------

CheckSpec misc_spec(const std::string& script, bool dynamic = false,
                    std::chrono::microseconds timeout = kGenerous) {
    CheckSpec spec = spec_of(CheckType::misc);
    spec.misc.argv = {"/bin/sh", "-c", script};
    spec.misc.dynamic = dynamic;
    spec.misc.timeout = timeout;
    return spec;
}

TEST_F(CheckersTest, MiscExitCodes) {
    const CheckResult up = run_check(misc_spec("exit 0"), target(0));
    EXPECT_TRUE(up.success);
    EXPECT_EQ(up.reason, "script exit 0");
    EXPECT_FALSE(up.dynamic_weight);
    const CheckResult down = run_check(misc_spec("exit 1"), target(0));
    EXPECT_FALSE(down.success);
    EXPECT_EQ(down.reason, "script exit 1");
    const CheckResult static_seven = run_check(misc_spec("exit 7"), target(0));
    EXPECT_FALSE(static_seven.success);
    EXPECT_FALSE(static_seven.dynamic_weight);
}

TEST_F(CheckersTest, MiscDynamicWeight) {
    const CheckResult r = run_check(misc_spec("exit 7", true), target(0));
    EXPECT_TRUE(r.success);
    EXPECT_EQ(r.dynamic_weight, 5U);
    EXPECT_EQ(r.reason, "script exit 7");
    const CheckResult zero = run_check(misc_spec("exit 2", true), target(0));
    EXPECT_TRUE(zero.success);
    EXPECT_EQ(zero.dynamic_weight, 0U);
    EXPECT_FALSE(run_check(misc_spec("exit 1", true), target(0)).success);
}

TEST_F(CheckersTest, MiscHangIsKilledAtItsTimeout) {
    const CheckResult r = run_check(misc_spec("sleep 30", false, kHang), target(0));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "script timed out after 200 ms");
    EXPECT_LT(r.latency, 10s);
}

TEST_F(CheckersTest, MiscCannotStart) {
    CheckSpec spec = spec_of(CheckType::misc);
    spec.misc.argv = {"/nonexistent/script"};
    const CheckResult r = run_check(spec, target(0));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason.rfind("script ", 0), 0U) << r.reason;
}

TEST_F(CheckersTest, DeadlinesMustBePositive) {
    const CheckResult tcp = run_check(spec_of(CheckType::tcp, 0s), target(80));
    EXPECT_FALSE(tcp.success);
    EXPECT_EQ(tcp.reason, "connect_timeout is not positive");
    const CheckResult misc = run_check(misc_spec("exit 0", false, 0s), target(0));
    EXPECT_FALSE(misc.success);
    EXPECT_EQ(misc.reason, "misc timeout is not positive");
}

TEST_F(CheckersTest, HttpPathThatWouldInjectAHeader) {
    CheckSpec spec = spec_of(CheckType::http);
    spec.http.path = "/x HTTP/1.1\r\nX-Injected: 1";
    const CheckResult r = run_check(spec, target(80));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "invalid path");
}

TEST_F(CheckersTest, MiscTimeoutBelowAMillisecond) {
    const CheckResult r = run_check(misc_spec("sleep 30", false, 500us), target(0));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.reason, "script timed out after 1 ms");
}

// --- the loop, cancel, restart ---------------------------------------------

TEST_F(CheckersTest, HangingChecksDoNotDelayOthers) {
    HttpServer hanging(io_, Mode::hang);
    HttpServer fast(io_, Mode::hang);
    std::vector<std::unique_ptr<Checker>> slow;
    int slow_done = 0;
    for (int i = 0; i < 50; ++i) {
        slow.push_back(make_checker(io_, runner_, spec_of(CheckType::http, kGenerous),
                                    target(hanging.port()), tls_));
        slow.back()->start([&slow_done](CheckResult) { ++slow_done; });
    }
    run_until([&] { return hanging.stats().requests.size() == 50; });
    ASSERT_EQ(hanging.stats().requests.size(), 50U) << "all 50 are waiting for a response";

    auto tcp = make_checker(io_, runner_, spec_of(CheckType::tcp), target(fast.port()), tls_);
    std::optional<CheckResult> result;
    tcp->start([&result](CheckResult r) { result = std::move(r); });
    run_until([&] { return result.has_value(); });
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->success);
    EXPECT_EQ(slow_done, 0) << "the TCP check finished while all 50 still hang";

    for (auto& checker : slow) {
        checker->cancel();
    }
    run_until([&] { return hanging.stats().closed_by_client == 50; });
    EXPECT_EQ(hanging.stats().closed_by_client, 50U) << "cancel closes the sockets";
    settle();
    EXPECT_EQ(slow_done, 0) << "cancelled checks never report";
}

TEST_F(CheckersTest, DestroyingACheckerCancelsIt) {
    HttpServer server(io_, Mode::hang);
    int calls = 0;
    {
        auto checker =
            make_checker(io_, runner_, spec_of(CheckType::http), target(server.port()), tls_);
        checker->start([&calls](CheckResult) { ++calls; });
        run_until([&] { return server.stats().requests.size() == 1; });
    }
    run_until([&] { return server.stats().closed_by_client == 1; });
    EXPECT_EQ(server.stats().closed_by_client, 1U);
    settle();
    EXPECT_EQ(calls, 0);
}

TEST_F(CheckersTest, StartingAgainReplacesTheAttempt) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", ""));
    auto checker =
        make_checker(io_, runner_, spec_of(CheckType::http), target(server.port()), tls_);
    int first = 0;
    std::optional<CheckResult> second;
    checker->start([&first](CheckResult) { ++first; });
    checker->start([&second](CheckResult r) { second = std::move(r); });
    run_until([&] { return second.has_value(); });
    ASSERT_TRUE(second);
    EXPECT_TRUE(second->success);
    settle();
    EXPECT_EQ(first, 0);
}

TEST_F(CheckersTest, CancelBeforeAPostedFailure) {
    auto checker = make_checker(io_, runner_, dns_spec("a..b", dns_type::a), target(53), tls_);
    int calls = 0;
    checker->start([&calls](CheckResult) { ++calls; });
    checker->cancel();
    settle();
    EXPECT_EQ(calls, 0);
}

TEST_F(CheckersTest, CancelledScriptResultIsDropped) {
    auto checker = make_checker(io_, runner_, misc_spec("sleep 0.1; exit 0"), target(0), tls_);
    int calls = 0;
    checker->start([&calls](CheckResult) { ++calls; });
    checker->cancel();
    run_until([&] { return runner_.running() == 0; });
    EXPECT_EQ(runner_.running(), 0U);
    EXPECT_EQ(calls, 0);
}

TEST_F(CheckersTest, OneCheckerRunsManyAttempts) {
    HttpServer server(io_, Mode::respond, http_response("200 OK", "x"));
    auto checker =
        make_checker(io_, runner_, spec_of(CheckType::http), target(server.port()), tls_);
    for (int i = 0; i < 3; ++i) {
        std::optional<CheckResult> result;
        checker->start([&result](CheckResult r) { result = std::move(r); });
        run_until([&] { return result.has_value(); });
        ASSERT_TRUE(result);
        EXPECT_TRUE(result->success) << result->reason;
    }
    EXPECT_EQ(server.stats().accepted, 3U);
}

}  // namespace
}  // namespace sluice::checks
