#pragma once
// The control API server: a unix stream socket on the control-plane event loop.
// Requests are dispatched to one handler; see api_protocol.h for the format.

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <nlohmann/json.hpp>

#include "controlplane/log.h"

namespace sluice::controlplane {

class ApiServer {
public:
    // Returns the response for one parsed request (api_ok / api_error).
    using Handler = std::function<nlohmann::json(const nlohmann::json& request)>;
    // A command answered later (e.g. after asking the workers): returns false
    // when it does not take `request` (then Handler answers it); otherwise it
    // calls `reply` exactly once, on the event loop, now or later.
    using Reply = std::function<void(nlohmann::json response)>;
    using DeferredHandler = std::function<bool(const nlohmann::json& request, Reply reply)>;
    void set_deferred(DeferredHandler deferred) { deferred_ = std::move(deferred); }

    ApiServer(boost::asio::io_context& io, Logger& log, std::string path, Handler handler);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Binds the socket (mode 0600) and starts accepting. Creates the parent
    // directory if missing; replaces a stale socket file nobody listens on.
    // Fails when another process is listening there, or on any system error.
    bool open(std::string& error);
    // Before open(): the socket's owner and group by name ("" = the daemon's).
    // With a group the socket is 0660 (that group may connect), else 0600.
    void set_ownership(std::string owner, std::string group) {
        owner_ = std::move(owner);
        group_ = std::move(group);
    }

    // Stops accepting and removes the socket file. Idempotent.
    void close();

    const std::string& path() const { return path_; }

private:
    bool apply_ownership(std::string& error);
    std::string owner_;
    std::string group_;
    void accept();

    boost::asio::io_context& io_;
    Logger& log_;
    std::string path_;
    Handler handler_;
    DeferredHandler deferred_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    bool bound_ = false;
};

// Parses and dispatches one request line (pure apart from the handler call):
// malformed JSON, a missing command or an unsupported api_version become errors.
nlohmann::json handle_request_line(const std::string& line, const ApiServer::Handler& handler);

}  // namespace sluice::controlplane
