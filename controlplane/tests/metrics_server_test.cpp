#include "controlplane/metrics_server.h"

#include <sstream>
#include <thread>

#include <boost/asio/connect.hpp>
// GCC 12 with the sanitizers reports a false maybe-uninitialized inside
// Beast's parser (boost::optional in content_length); it is Boost's code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop
#include <gtest/gtest.h>

namespace sluice::controlplane {
namespace {

namespace http = boost::beast::http;
using boost::asio::ip::tcp;

struct Answer {
    unsigned status = 0;
    std::string content_type;
    std::string body;
};

// A blocking client on its own io_context; the server's loop runs in a thread.
class MetricsServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        server_ = std::make_unique<MetricsServer>(io_, log_, "127.0.0.1:0", [this] {
            ++renders_;
            return MetricsSources{
                {{"version", "9.9"}}, nlohmann::json::object(), nlohmann::json::object()};
        });
        std::string error;
        ASSERT_TRUE(server_->open(error)) << error;
        work_.emplace(io_.get_executor());
        thread_ = std::thread([this] { io_.run(); });
    }
    void TearDown() override {
        boost::asio::post(io_, [this] { server_->close(); });
        work_.reset();
        thread_.join();
    }

    void connect(tcp::socket& s) {
        s.connect({boost::asio::ip::make_address("127.0.0.1"), server_->bound_port()});
    }

    Answer ask(tcp::socket& s, http::verb verb, const std::string& target) {
        http::request<http::string_body> req{verb, target, 11};
        req.set(http::field::host, "localhost");
        http::write(s, req);
        boost::beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(s, buf, res);
        return {res.result_int(), std::string(res[http::field::content_type]), res.body()};
    }

    std::stringstream log_out_;
    Logger log_{log_out_, "test"};
    boost::asio::io_context io_;
    std::unique_ptr<MetricsServer> server_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::thread thread_;
    std::atomic<int> renders_{0};
    boost::asio::io_context client_io_;
};

TEST_F(MetricsServerTest, ServesMetricsKeepsAliveAndRefusesTheRest) {
    tcp::socket s(client_io_);
    connect(s);
    const auto a = ask(s, http::verb::get, "/metrics");
    EXPECT_EQ(a.status, 200u);
    EXPECT_EQ(a.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(a.body.find("sluice_build_info{version=\"9.9\"} 1\n"), std::string::npos) << a.body;
    // Same connection: keep-alive.
    EXPECT_EQ(ask(s, http::verb::get, "/other").status, 404u);
    EXPECT_EQ(ask(s, http::verb::post, "/metrics").status, 405u);
    EXPECT_EQ(ask(s, http::verb::get, "/metrics?x=1").status, 200u);
    EXPECT_EQ(renders_.load(), 2);
}

TEST_F(MetricsServerTest, OversizedRequestIsRefusedAndASilentClientBlocksNoOne) {
    tcp::socket silent(client_io_);
    connect(silent);  // never sends anything
    tcp::socket big(client_io_);
    connect(big);
    http::request<http::string_body> req{http::verb::get, "/metrics", 11};
    req.set(http::field::host, "localhost");
    req.set("X-Filler", std::string(16 * 1024, 'x'));
    boost::system::error_code ec;
    http::write(big, req, ec);
    boost::beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(big, buf, res, ec);
    if (!ec) {
        EXPECT_EQ(res.result_int(), 413u);
    }
    tcp::socket other(client_io_);
    connect(other);
    EXPECT_EQ(ask(other, http::verb::get, "/metrics").status, 200u);
}

TEST(MetricsServer, BindFailureNamesTheAddress) {
    std::stringstream out;
    Logger log(out, "test");
    boost::asio::io_context io;
    auto source = [] { return MetricsSources{}; };
    MetricsServer first(io, log, "127.0.0.1:0", source);
    std::string error;
    ASSERT_TRUE(first.open(error)) << error;
    const auto taken = "127.0.0.1:" + std::to_string(first.bound_port());
    MetricsServer second(io, log, taken, source);
    EXPECT_FALSE(second.open(error));
    EXPECT_NE(error.find(taken), std::string::npos) << error;
    MetricsServer bad(io, log, "nowhere:80", source);
    EXPECT_FALSE(bad.open(error));
    EXPECT_NE(error.find("nowhere:80"), std::string::npos) << error;
}

}  // namespace
}  // namespace sluice::controlplane
