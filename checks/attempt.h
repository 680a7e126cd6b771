#pragma once
// Plumbing shared by the checkers (internal to sluice_checkers): an Attempt is
// one check attempt with its deadline timer and its completion; an
// AttemptChecker is a Checker that runs one Attempt at a time.
//
// Lifetime: every pending handler holds a shared_ptr to its Attempt, so the
// Checker may be destroyed (or start another attempt) at any time. finish()
// and cancel() both close the attempt's sockets, which completes its pending
// operations with operation_aborted; handlers return at once once the attempt
// is over. `done` is never called from within start(): a failure found while
// starting is posted.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include "checks/check_spec.h"
#include "checks/checker.h"

namespace sluice::checks {

class Attempt : public std::enable_shared_from_this<Attempt> {
  public:
    // timeout <= 0: no deadline of the attempt's own.
    Attempt(boost::asio::io_context& io, std::chrono::microseconds timeout, Checker::Done done);
    virtual ~Attempt() = default;
    Attempt(const Attempt&) = delete;
    Attempt& operator=(const Attempt&) = delete;

    void begin();   // arms the deadline and calls run()
    void cancel();  // over without a result

  protected:
    virtual void run() = 0;    // starts the attempt's I/O
    virtual void close() = 0;  // closes its sockets; called once when the attempt ends
    virtual std::string timeout_reason() const;

    // Ends the attempt (the first call only): cancels the timer, closes, and
    // reports through `done` (posted when called from within begin()).
    void finish(bool success, std::string reason,
                std::optional<std::uint32_t> dynamic_weight = std::nullopt);
    bool over() const { return over_; }
    std::chrono::microseconds timeout() const { return timeout_; }

    template <class Derived>
    std::shared_ptr<Derived> self() {
        return std::static_pointer_cast<Derived>(shared_from_this());
    }

    boost::asio::io_context& io_;

  private:
    boost::asio::steady_timer timer_;
    std::chrono::microseconds timeout_;
    Checker::Done done_;
    std::chrono::steady_clock::time_point started_;
    bool over_ = false;
    bool cancelled_ = false;
    bool in_begin_ = false;
};

class AttemptChecker final : public Checker {
  public:
    using Factory = std::function<std::shared_ptr<Attempt>(Done)>;
    explicit AttemptChecker(Factory factory) : factory_(std::move(factory)) {}
    ~AttemptChecker() override { cancel(); }
    AttemptChecker(const AttemptChecker&) = delete;
    AttemptChecker& operator=(const AttemptChecker&) = delete;

    void start(Done done) override;
    void cancel() override;

  private:
    Factory factory_;
    std::shared_ptr<Attempt> current_;
};

// An attempt that fails with `reason` at once (posted, like every result):
// for settings that cannot work (an invalid regex, an unreadable CA file).
std::shared_ptr<Attempt> make_failed_attempt(boost::asio::io_context& io, std::string reason,
                                             Checker::Done done);

// "200 ms", "1.5 ms", "0.25 ms".
std::string format_ms(std::chrono::microseconds d);
// "connection refused", "connection reset by peer", ...: the system's message
// with a lowercase first letter.
std::string describe_error(const boost::system::error_code& ec);

inline boost::asio::ip::address_v4 to_asio(common::Ipv4Addr a) {
    return boost::asio::ip::address_v4(a.value);
}

// Opens an IPv4 socket and binds it to `bindto` (any port) when given. On
// failure returns the reason for the result ("bind 10.0.0.1: ...").
template <class Socket>
std::optional<std::string> open_socket(Socket& socket,
                                       const std::optional<common::Ipv4Addr>& bindto) {
    using Protocol = typename Socket::protocol_type;
    boost::system::error_code ec;
    socket.open(Protocol::v4(), ec);
    if (ec) {
        return "socket: " + describe_error(ec);
    }
    if (bindto) {
        socket.bind(typename Protocol::endpoint(to_asio(*bindto), 0), ec);
        if (ec) {
            return "bind " + bindto->to_string() + ": " + describe_error(ec);
        }
    }
    return std::nullopt;
}

}  // namespace sluice::checks
