#include "controlplane/cli/api_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "controlplane/api_protocol.h"

namespace sluice::cli {

namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

CallResult call_api(const std::string& socket_path, const std::string& command,
                    const nlohmann::json& args, std::chrono::milliseconds timeout) {
    CallResult result;
    asio::io_context io;
    stream::socket socket(io);
    boost::system::error_code ec;
    socket.connect(stream::endpoint(socket_path), ec);
    if (ec == boost::system::errc::no_such_file_or_directory || ec == asio::error::connection_refused) {
        result.status = CallStatus::not_running;
        result.error = "sluiced is not running: cannot connect to " + socket_path + " (" +
                       ec.message() + "); start it, or point --socket/--config at the right daemon";
        return result;
    }
    if (ec == boost::system::errc::permission_denied) {
        result.status = CallStatus::permission_denied;
        result.error = "permission denied on " + socket_path +
                       ": the API socket is mode 0600; run sluicectl as the daemon's user (or root)";
        return result;
    }
    if (ec) {
        result.error = "cannot connect to " + socket_path + ": " + ec.message();
        return result;
    }

    const std::string request =
        nlohmann::json{{"api_version", controlplane::kApiVersion}, {"command", command}, {"args", args}}.dump() + "\n";
    asio::streambuf reply;
    bool done = false;
    asio::async_write(socket, asio::buffer(request), [&](boost::system::error_code wec, std::size_t) {
        if (wec) {
            result.error = "sending the request failed: " + wec.message();
            done = true;
            return;
        }
        asio::async_read_until(socket, reply, '\n', [&](boost::system::error_code rec, std::size_t n) {
            done = true;
            if (rec) {
                result.error = "reading the answer failed: " + rec.message();
                return;
            }
            const std::string line(asio::buffers_begin(reply.data()),
                                   asio::buffers_begin(reply.data()) + static_cast<std::ptrdiff_t>(n));
            result.response = nlohmann::json::parse(line, nullptr, false);
            if (result.response.is_discarded() || !result.response.is_object()) {
                result.error = "the daemon's answer is not a JSON object";
                return;
            }
            result.status = CallStatus::ok;
        });
    });
    io.run_for(timeout);
    if (!done) {
        result.error = "no answer from " + socket_path + " within " + std::to_string(timeout.count()) + " ms";
    }
    return result;
}

}  // namespace sluice::cli
