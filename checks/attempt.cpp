#include "checks/attempt.h"

#include <boost/asio/post.hpp>

namespace sluice::checks {

Attempt::Attempt(boost::asio::io_context& io, std::chrono::microseconds timeout, Checker::Done done)
    : io_(io), timer_(io), timeout_(timeout), done_(std::move(done)) {}

void Attempt::begin() {
    started_ = std::chrono::steady_clock::now();
    in_begin_ = true;
    if (timeout_.count() > 0) {
        timer_.expires_after(timeout_);
        timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec && !self->over_) {
                self->finish(false, self->timeout_reason());
            }
        });
    }
    run();
    in_begin_ = false;
}

void Attempt::cancel() {
    cancelled_ = true;
    if (over_) {
        return;
    }
    over_ = true;
    done_ = nullptr;
    timer_.cancel();
    close();
}

std::string Attempt::timeout_reason() const {
    return "timeout after " + format_ms(timeout_);
}

void Attempt::finish(bool success, std::string reason,
                     std::optional<std::uint32_t> dynamic_weight) {
    if (over_) {
        return;
    }
    over_ = true;
    timer_.cancel();
    close();
    CheckResult result;
    result.success = success;
    result.reason = std::move(reason);
    result.latency = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started_);
    result.dynamic_weight = dynamic_weight;
    Checker::Done done = std::move(done_);
    done_ = nullptr;
    if (!done) {
        return;
    }
    if (in_begin_) {
        // Posted; still dropped if the attempt is cancelled before it runs.
        auto self = shared_from_this();
        boost::asio::post(io_,
                          [self, done = std::move(done), result = std::move(result)]() mutable {
                              if (self->cancelled_) {
                                  return;
                              }
                              done(std::move(result));
                          });
        return;
    }
    done(std::move(result));
}

void AttemptChecker::start(Done done) {
    cancel();
    current_ = factory_(std::move(done));
    current_->begin();
}

void AttemptChecker::cancel() {
    if (current_) {
        current_->cancel();
        current_.reset();
    }
}

namespace {

class FailedAttempt final : public Attempt {
  public:
    FailedAttempt(boost::asio::io_context& io, std::string reason, Checker::Done done)
        : Attempt(io, std::chrono::microseconds(0), std::move(done)), reason_(std::move(reason)) {}

  private:
    void run() override { finish(false, reason_); }
    void close() override {}

    std::string reason_;
};

}  // namespace

std::shared_ptr<Attempt> make_failed_attempt(boost::asio::io_context& io, std::string reason,
                                             Checker::Done done) {
    return std::make_shared<FailedAttempt>(io, std::move(reason), std::move(done));
}

std::string format_ms(std::chrono::microseconds d) {
    const long long us = d.count();
    std::string text = std::to_string(us / 1000);
    long long fraction = us % 1000;
    if (fraction != 0) {
        std::string digits = std::to_string(fraction + 1000).substr(1);  // three digits
        while (!digits.empty() && digits.back() == '0') {
            digits.pop_back();
        }
        text += '.' + digits;
    }
    return text + " ms";
}

std::string describe_error(const boost::system::error_code& ec) {
    std::string text = ec.message();
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' &&
        (text.size() < 2 || !(text[1] >= 'A' && text[1] <= 'Z'))) {
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    return text;
}

}  // namespace sluice::checks
