#pragma once
// The metrics endpoint: HTTP/1.1 (Boost.Beast) on the control-plane event
// loop. GET /metrics answers the Prometheus text format; any other path is
// 404, any other method 405. Connections are kept alive; a request is at most
// 8 KiB, and a client that is silent or does not read for 10 s is dropped, so
// a slow client costs a socket, never the loop.

#include <functional>
#include <list>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "controlplane/log.h"
#include "controlplane/metrics_text.h"

namespace sluice::controlplane {

class MetricsSession;

class MetricsServer {
  public:
    using Source = std::function<MetricsSources()>;

    // `listen` is "ADDRESS:PORT" ("[v6]:PORT" for IPv6); port 0 picks one.
    MetricsServer(boost::asio::io_context& io, Logger& log, std::string listen, Source source);
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    // Binds and starts accepting; false with `error` naming the address.
    bool open(std::string& error);
    // Stops accepting and closes every connection. Idempotent.
    void close();

    const std::string& listen() const { return listen_; }
    unsigned short bound_port() const { return bound_port_; }

  private:
    void accept();

    boost::asio::io_context& io_;
    Logger& log_;
    std::string listen_;
    Source source_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short bound_port_ = 0;
    std::list<std::weak_ptr<MetricsSession>> sessions_;
};

}  // namespace sluice::controlplane
