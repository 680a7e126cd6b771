#include "controlplane/metrics_server.h"

#include <chrono>
#include <optional>

#include <boost/asio/ip/address.hpp>
// GCC 12 with the sanitizers reports a false maybe-uninitialized inside
// Beast's parser (boost::optional in content_length); it is Boost's code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop

namespace sluice::controlplane {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(10);
constexpr std::uint32_t kHeaderLimit = 8 * 1024;
constexpr std::uint64_t kBodyLimit = 1024;

// "1.2.3.4:9468" or "[::1]:9468".
bool parse_listen(const std::string& listen, tcp::endpoint& out, std::string& error) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon + 1 == listen.size()) {
        error = "not ADDRESS:PORT";
        return false;
    }
    auto host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    unsigned long port = 0;
    try {
        std::size_t used = 0;
        port = std::stoul(listen.substr(colon + 1), &used);
        if (used != listen.size() - colon - 1 || port > 65535)
            throw std::out_of_range("port");
    } catch (const std::exception&) {
        error = "bad port";
        return false;
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    if (ec) {
        error = "'" + host + "' is not an IP address";
        return false;
    }
    out = tcp::endpoint(address, static_cast<unsigned short>(port));
    return true;
}

}  // namespace

// One client connection: read a request, answer, repeat while kept alive.
class MetricsSession : public std::enable_shared_from_this<MetricsSession> {
  public:
    MetricsSession(tcp::socket socket, Logger& log, const MetricsServer::Source& source)
        : stream_(std::move(socket)), log_(log), source_(source) {
        boost::system::error_code ec;
        const auto peer = stream_.socket().remote_endpoint(ec);
        peer_ =
            ec ? std::string("?") : peer.address().to_string() + ":" + std::to_string(peer.port());
    }

    void start() { read(); }
    void close() {
        boost::system::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.close();
    }

  private:
    void read() {
        parser_.emplace();
        parser_->header_limit(kHeaderLimit);
        parser_->body_limit(kBodyLimit);
        stream_.expires_after(kIdleTimeout);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == boost::asio::error::operation_aborted) {
            close();
            return;
        }
        if (ec == beast::error::timeout) {
            log_.debug("metrics: client " + peer_ + " idle for 10 s, closed");
            return;
        }
        if (ec) {
            log_.warning("metrics: bad request from " + peer_ + ": " + ec.message());
            if (ec == http::error::header_limit || ec == http::error::body_limit) {
                respond(http::status::payload_too_large, "request too large\n", false);
            } else {
                close();
            }
            return;
        }
        const auto& req = parser_->get();
        const auto target = std::string(req.target().substr(0, req.target().find('?')));
        if (req.method() != http::verb::get) {
            respond(http::status::method_not_allowed, "only GET\n", req.keep_alive());
        } else if (target != "/metrics") {
            respond(http::status::not_found, "not found; metrics are at /metrics\n",
                    req.keep_alive());
        } else {
            std::string body;
            try {
                body = render_metrics(source_());
            } catch (const std::exception& e) {
                log_.error(std::string("metrics: cannot render: ") + e.what());
                respond(http::status::internal_server_error, "cannot render the metrics\n", false);
                return;
            }
            respond(http::status::ok, std::move(body), req.keep_alive(),
                    "text/plain; version=0.0.4; charset=utf-8");
        }
    }

    void respond(http::status status, std::string body, bool keep_alive,
                 const char* content_type = "text/plain; charset=utf-8") {
        response_.emplace(status, 11);
        response_->set(http::field::server, "sluiced");
        response_->set(http::field::content_type, content_type);
        if (status == http::status::method_not_allowed) {
            response_->set(http::field::allow, "GET");
        }
        response_->body() = std::move(body);
        response_->keep_alive(keep_alive);
        response_->prepare_payload();
        stream_.expires_after(kIdleTimeout);
        http::async_write(
            stream_, *response_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(beast::error_code ec) {
        if (ec) {
            if (ec != boost::asio::error::operation_aborted) {
                log_.warning("metrics: cannot answer " + peer_ + ": " + ec.message());
            }
            return;
        }
        if (!response_->keep_alive()) {
            close();
            return;
        }
        response_.reset();
        read();
    }

    beast::tcp_stream stream_;
    Logger& log_;
    const MetricsServer::Source& source_;
    std::string peer_;
    beast::flat_buffer buffer_{kHeaderLimit + kBodyLimit};
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::response<http::string_body>> response_;
};

MetricsServer::MetricsServer(boost::asio::io_context& io, Logger& log, std::string listen,
                             Source source)
    : io_(io), log_(log), listen_(std::move(listen)), source_(std::move(source)), acceptor_(io) {}

MetricsServer::~MetricsServer() {
    close();
}

bool MetricsServer::open(std::string& error) {
    tcp::endpoint endpoint;
    std::string why;
    if (!parse_listen(listen_, endpoint, why)) {
        error = "cannot serve metrics on '" + listen_ + "': " + why;
        return false;
    }
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        acceptor_.bind(endpoint, ec);
    if (!ec)
        acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec) {
        error = "cannot serve metrics on " + listen_ + ": " + ec.message();
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        return false;
    }
    bound_port_ = acceptor_.local_endpoint(ec).port();
    accept();
    return true;
}

void MetricsServer::close() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& weak : sessions_) {
        if (auto s = weak.lock())
            s->close();
    }
    sessions_.clear();
}

void MetricsServer::accept() {
    acceptor_.async_accept(io_, [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        if (ec) {
            log_.warning("metrics: accept failed: " + ec.message());
        } else {
            sessions_.remove_if([](const std::weak_ptr<MetricsSession>& w) { return w.expired(); });
            auto session = std::make_shared<MetricsSession>(std::move(socket), log_, source_);
            sessions_.push_back(session);
            session->start();
        }
        accept();
    });
}

}  // namespace sluice::controlplane
