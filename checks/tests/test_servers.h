#pragma once
// In-process servers for the checker tests, all on 127.0.0.1 port 0 and
// driven by the test's io_context: an HTTP server with good and hostile
// behaviours (optionally over TLS), a UDP server answering through a
// function (echo, silence, DNS).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace sluice::checks::testing {

struct ServerStats {
    std::size_t accepted = 0;
    std::size_t closed_by_client = 0;       // the client closed (EOF or error on read)
    std::vector<std::string> requests;      // each request's header section
    std::vector<std::string> server_names;  // TLS: the SNI each client sent ("" none)
};

class HttpServer {
  public:
    enum class Mode {
        respond,          // send `response` after the request, then close
        greet,            // send `response` as soon as connected, then close
        hang,             // read the request, never answer
        endless_headers,  // a status line, then header fields forever
        endless_body,     // a header section, then body bytes forever
    };

    // `tls`: serve TLS with that (server) context.
    HttpServer(boost::asio::io_context& io, Mode mode, std::string response = {},
               boost::asio::ssl::context* tls = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const;
    const ServerStats& stats() const { return *stats_; }

    struct Session;

  private:
    void accept();

    boost::asio::io_context& io_;
    Mode mode_;
    std::string response_;
    boost::asio::ssl::context* tls_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<ServerStats> stats_ = std::make_shared<ServerStats>();
    std::vector<std::weak_ptr<Session>> sessions_;
};

class UdpServer {
  public:
    // nullopt: no reply.
    using Reply = std::function<std::optional<std::string>(std::string_view request)>;

    UdpServer(boost::asio::io_context& io, Reply reply);
    std::uint16_t port() const;
    std::size_t received() const { return received_; }

  private:
    void receive();

    boost::asio::ip::udp::socket socket_;
    Reply reply_;
    std::vector<char> buffer_ = std::vector<char>(65536);
    boost::asio::ip::udp::endpoint peer_;
    std::size_t received_ = 0;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed).
std::uint16_t closed_tcp_port(boost::asio::io_context& io);
std::uint16_t closed_udp_port(boost::asio::io_context& io);

}  // namespace sluice::checks::testing
