#include "checks/tests/test_servers.h"

#include <array>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

namespace sluice::checks::testing {

namespace ssl = boost::asio::ssl;
using boost::asio::ip::tcp;
using boost::asio::ip::udp;

struct HttpServer::Session : std::enable_shared_from_this<HttpServer::Session> {
    Session(tcp::socket socket, Mode how, std::string answer, ssl::context* tls,
            std::shared_ptr<ServerStats> counters)
        : mode(how), response(std::move(answer)), stats(std::move(counters)) {
        if (tls != nullptr) {
            tls_stream.emplace(std::move(socket), *tls);
        } else {
            plain.emplace(std::move(socket));
        }
    }

    template <class F>
    void with_stream(F&& f) {
        if (tls_stream) {
            f(*tls_stream);
        } else {
            f(*plain);
        }
    }

    tcp::socket& socket() { return tls_stream ? tls_stream->next_layer() : *plain; }

    void start() {
        if (mode == Mode::greet) {
            write(response, true);
            read_request();
            return;
        }
        if (!tls_stream) {
            read_request();
            return;
        }
        tls_stream->async_handshake(
            ssl::stream_base::server,
            [self = shared_from_this()](const boost::system::error_code& ec) {
                const char* name = SSL_get_servername(self->tls_stream->native_handle(),
                                                      TLSEXT_NAMETYPE_host_name);
                self->stats->server_names.emplace_back(name != nullptr ? name : "");
                if (ec) {
                    ++self->stats->closed_by_client;
                    return;
                }
                self->read_request();
            });
    }

    void read_request() {
        with_stream([this](auto& stream) {
            stream.async_read_some(
                boost::asio::buffer(buffer),
                [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                    self->on_read(ec, n);
                });
        });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        if (ec) {
            ++stats->closed_by_client;
            return;
        }
        if (!request_done) {
            request.append(buffer.data(), n);
            const std::size_t end = request.find("\r\n\r\n");
            if (end != std::string::npos) {
                request_done = true;
                stats->requests.push_back(request.substr(0, end + 4));
                respond();
            }
        }
        read_request();  // keep reading: tells when the client closes
    }

    void respond() {
        switch (mode) {
            case Mode::respond:
                write(response, true);
                break;
            case Mode::hang:
            case Mode::greet:
                break;
            case Mode::endless_headers:
                write("HTTP/1.1 200 OK\r\n", false);
                break;
            case Mode::endless_body:
                write("HTTP/1.1 200 OK\r\n\r\n", false);
                break;
        }
    }

    void write(std::string data, bool close_after) {
        pending = std::move(data);
        with_stream([this, close_after](auto& stream) {
            boost::asio::async_write(
                stream, boost::asio::buffer(pending),
                [self = shared_from_this(), close_after](const boost::system::error_code& ec,
                                                         std::size_t) {
                    if (ec) {
                        return;
                    }
                    if (close_after) {
                        boost::system::error_code ignored;
                        self->socket().shutdown(tcp::socket::shutdown_send, ignored);
                        return;
                    }
                    self->write(self->mode == Mode::endless_headers
                                    ? "X-Filler: " + std::string(1000, 'h') + "\r\n"
                                    : std::string(16384, 'b'),
                                false);
                });
        });
    }

    void close() {
        boost::system::error_code ignored;
        socket().close(ignored);
    }

    Mode mode;
    std::string response;
    std::shared_ptr<ServerStats> stats;
    std::optional<tcp::socket> plain;
    std::optional<ssl::stream<tcp::socket>> tls_stream;
    std::array<char, 4096> buffer{};
    std::string request;
    bool request_done = false;
    std::string pending;
};

HttpServer::HttpServer(boost::asio::io_context& io, Mode mode, std::string response,
                       ssl::context* tls)
    : io_(io),
      mode_(mode),
      response_(std::move(response)),
      tls_(tls),
      acceptor_(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {
    accept();
}

HttpServer::~HttpServer() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& weak : sessions_) {
        if (auto session = weak.lock()) {
            session->close();
        }
    }
}

std::uint16_t HttpServer::port() const {
    return acceptor_.local_endpoint().port();
}

void HttpServer::accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
        if (ec) {
            return;  // closed
        }
        ++stats_->accepted;
        auto session = std::make_shared<Session>(std::move(socket), mode_, response_, tls_, stats_);
        sessions_.push_back(session);
        session->start();
        accept();
    });
}

UdpServer::UdpServer(boost::asio::io_context& io, Reply reply)
    : socket_(io, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0)),
      reply_(std::move(reply)) {
    receive();
}

std::uint16_t UdpServer::port() const {
    return socket_.local_endpoint().port();
}

void UdpServer::receive() {
    socket_.async_receive_from(
        boost::asio::buffer(buffer_), peer_,
        [this](const boost::system::error_code& ec, std::size_t n) {
            if (ec == boost::asio::error::operation_aborted) {
                return;
            }
            if (!ec) {
                ++received_;
                if (auto answer = reply_(std::string_view(buffer_.data(), n))) {
                    boost::system::error_code ignored;
                    socket_.send_to(boost::asio::buffer(*answer), peer_, 0, ignored);
                }
            }
            receive();
        });
}

std::uint16_t closed_tcp_port(boost::asio::io_context& io) {
    tcp::acceptor a(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    return a.local_endpoint().port();
}

std::uint16_t closed_udp_port(boost::asio::io_context& io) {
    udp::socket s(io, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    return s.local_endpoint().port();
}

}  // namespace sluice::checks::testing
