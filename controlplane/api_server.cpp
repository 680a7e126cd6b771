#include "controlplane/api_server.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "controlplane/api_protocol.h"

namespace sluice::controlplane {

namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

namespace {

// One client connection: read a line, answer it, repeat until the client closes.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(stream::socket socket, const ApiServer::Handler& handler, const ApiServer::DeferredHandler& deferred,
            Logger& log)
        : socket_(std::move(socket)), buffer_(kMaxRequestBytes), handler_(handler), deferred_(deferred), log_(log) {}

    void start() { read(); }

private:
    void read() {
        asio::async_read_until(socket_, buffer_, '\n',
                               [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                   self->on_read(ec, n);
                               });
    }

    void on_read(boost::system::error_code ec, std::size_t n) {
        if (ec == asio::error::not_found) {
            reply(api_error("request_too_large", "a request line may be at most " +
                                                     std::to_string(kMaxRequestBytes) + " bytes"),
                  false);
            return;
        }
        if (ec) {
            return;  // client went away
        }
        std::string line(asio::buffers_begin(buffer_.data()),
                         asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(n));
        buffer_.consume(n);
        if (deferred_) {
            const auto request = nlohmann::json::parse(line, nullptr, false);
            // Only well-formed requests; handle_request_line() answers the rest.
            const bool version_ok = request.is_object() &&
                                    (!request.contains("api_version") ||
                                     (request["api_version"].is_number_integer() &&
                                      request["api_version"].get<int>() == kApiVersion));
            if (version_ok && request.contains("command") && request["command"].is_string()) {
                bool taken = false;
                try {
                    taken = deferred_(request, [self = shared_from_this()](nlohmann::json response) {
                        self->reply(response, true);
                    });
                } catch (const std::exception& e) {
                    reply(api_error("internal", e.what()), true);
                    return;
                }
                if (taken) {
                    return;
                }
            }
        }
        reply(handle_request_line(line, handler_), true);
    }

    void reply(const nlohmann::json& response, bool keep_reading) {
        out_ = response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        asio::async_write(socket_, asio::buffer(out_),
                          [self = shared_from_this(), keep_reading](boost::system::error_code ec, std::size_t) {
                              if (!ec && keep_reading) {
                                  self->read();
                              }
                          });
    }

    stream::socket socket_;
    asio::streambuf buffer_;
    std::string out_;
    const ApiServer::Handler& handler_;
    const ApiServer::DeferredHandler& deferred_;
    Logger& log_;
};

}  // namespace

nlohmann::json handle_request_line(const std::string& line, const ApiServer::Handler& handler) {
    const auto request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
        return api_error("bad_request", "a request is one JSON object on one line");
    }
    if (request.contains("api_version") &&
        (!request["api_version"].is_number_integer() || request["api_version"].get<int>() != kApiVersion)) {
        return api_error("unsupported_api_version",
                         "this sluiced speaks api_version " + std::to_string(kApiVersion));
    }
    if (!request.contains("command") || !request["command"].is_string()) {
        return api_error("bad_request", "the request has no \"command\" string");
    }
    try {
        return handler(request);
    } catch (const std::exception& e) {
        return api_error("internal", e.what());
    }
}

ApiServer::ApiServer(asio::io_context& io, Logger& log, std::string path, Handler handler)
    : io_(io), log_(log), path_(std::move(path)), handler_(std::move(handler)), acceptor_(io) {}

ApiServer::~ApiServer() { close(); }

bool ApiServer::apply_ownership(std::string& error) {
    if (owner_.empty() && group_.empty()) {
        return true;
    }
    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);
    std::vector<char> buf(16384);
    if (!owner_.empty()) {
        passwd pw{};
        passwd* found = nullptr;
        if (::getpwnam_r(owner_.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
            error = "api_socket_owner: no user named '" + owner_ + "'";
            return false;
        }
        uid = pw.pw_uid;
    }
    if (!group_.empty()) {
        group gr{};
        group* found = nullptr;
        if (::getgrnam_r(group_.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
            error = "api_socket_group: no group named '" + group_ + "'";
            return false;
        }
        gid = gr.gr_gid;
    }
    if (::chown(path_.c_str(), uid, gid) != 0) {
        error = "cannot give " + path_ + " to " + (owner_.empty() ? std::string("-") : owner_) + ":" +
                (group_.empty() ? std::string("-") : group_) + ": " + std::strerror(errno);
        return false;
    }
    if (!group_.empty() && ::chmod(path_.c_str(), 0660) != 0) {
        error = "cannot make " + path_ + " group-accessible: " + std::strerror(errno);
        return false;
    }
    return true;
}

bool ApiServer::open(std::string& error) {
    namespace fs = std::filesystem;
    const fs::path p(path_);
    std::error_code fec;
    if (p.has_parent_path() && !fs::exists(p.parent_path(), fec)) {
        fs::create_directories(p.parent_path(), fec);
        if (fec) {
            error = "cannot create " + p.parent_path().string() + ": " + fec.message();
            return false;
        }
    }
    if (fs::exists(p, fec)) {
        if (!fs::is_socket(p, fec)) {
            error = path_ + " exists and is not a socket; refusing to replace it";
            return false;
        }
        stream::socket probe(io_);
        boost::system::error_code ec;
        probe.connect(stream::endpoint(path_), ec);
        if (!ec) {
            error = "another sluiced is already serving " + path_ + " (set [global] api_socket to run a second one)";
            return false;
        }
        fs::remove(p, fec);  // stale: left by a process that died
    }
    boost::system::error_code ec;
    // Create the socket with mode 0600 from the start: no window in which others could connect.
    const mode_t old_mask = ::umask(0177);
    acceptor_.open(stream(), ec);
    if (!ec) {
        acceptor_.bind(stream::endpoint(path_), ec);
    }
    ::umask(old_mask);
    if (!ec) {
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        error = "cannot listen on " + path_ + ": " + ec.message();
        acceptor_.close(ec);
        return false;
    }
    if (!apply_ownership(error)) {
        acceptor_.close(ec);
        fs::remove(p, fec);
        return false;
    }
    bound_ = true;
    accept();
    return true;
}

void ApiServer::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, stream::socket socket) {
        if (ec) {
            if (ec != asio::error::operation_aborted) {
                log_.warning("API: accept failed: " + ec.message());
            }
            return;
        }
        std::make_shared<Session>(std::move(socket), handler_, deferred_, log_)->start();
        accept();
    });
}

void ApiServer::close() {
    if (!bound_) {
        return;
    }
    boost::system::error_code ec;
    acceptor_.close(ec);
    ::unlink(path_.c_str());
    bound_ = false;
}

}  // namespace sluice::controlplane
