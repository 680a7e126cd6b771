#include "checks/datagram_checker.h"

#include <array>
#include <functional>
#include <string>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/udp.hpp>
#include <openssl/rand.h>

#include "checks/attempt.h"
#include "checks/dns_message.h"
#include "checks/udp_reply.h"

namespace sluice::checks {
namespace {

using boost::asio::ip::udp;

constexpr std::size_t kReplyBuffer = 4096;

struct Verdict {
    bool success = false;
    std::string reason;
};

class DatagramAttempt final : public Attempt {
  public:
    using Judge = std::function<Verdict(std::string_view reply)>;

    DatagramAttempt(boost::asio::io_context& io, std::chrono::microseconds timeout,
                    const CheckTarget& target, std::string payload, Judge judge, Checker::Done done)
        : Attempt(io, timeout, std::move(done)),
          target_(target),
          payload_(std::move(payload)),
          judge_(std::move(judge)),
          socket_(io) {}

  private:
    void run() override {
        if (const auto error = open_socket(socket_, target_.bindto)) {
            finish(false, *error);
            return;
        }
        // connect() on a UDP socket only sets the peer: it does not block.
        boost::system::error_code ec;
        socket_.connect(udp::endpoint(to_asio(target_.address), target_.port), ec);
        if (ec) {
            finish(false, "connect: " + describe_error(ec));
            return;
        }
        socket_.async_send(
            boost::asio::buffer(payload_),
            [self = self<DatagramAttempt>()](const boost::system::error_code& e, std::size_t) {
                if (self->over()) {
                    return;
                }
                if (e) {
                    self->finish(false, "send: " + describe_error(e));
                    return;
                }
                self->receive();
            });
    }

    void receive() {
        socket_.async_receive(
            boost::asio::buffer(reply_),
            [self = self<DatagramAttempt>()](const boost::system::error_code& e, std::size_t n) {
                if (self->over()) {
                    return;
                }
                if (e) {
                    self->finish(false, describe_error(e));
                    return;
                }
                Verdict v = self->judge_(std::string_view(self->reply_.data(), n));
                self->finish(v.success, std::move(v.reason));
            });
    }

    void close() override {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    std::string timeout_reason() const override {
        return "no reply within " + format_ms(timeout());
    }

    CheckTarget target_;
    std::string payload_;
    Judge judge_;
    udp::socket socket_;
    std::array<char, kReplyBuffer> reply_{};
};

Verdict judge_udp(std::string_view reply, const std::string& required) {
    if (!reply_matches(reply, required)) {
        return {false, "reply does not match"};
    }
    return {true, "reply received"};
}

Verdict judge_dns(std::string_view reply, std::uint16_t id, const DnsCheckSpec& dns) {
    std::string error;
    const auto response = parse_dns_response(reply, id, dns.name, dns.type, error);
    if (!response) {
        return {false, "bad response: " + error};
    }
    if (response->rcode != 0) {
        return {false, "rcode " + dns_rcode_name(response->rcode)};
    }
    std::size_t matching = 0;
    for (const DnsRecord& record : response->answers) {
        if (record.type == dns.type) {
            ++matching;
        }
    }
    if (dns.require_answer && matching == 0) {
        return {false, "no " + dns_type_name(dns.type) + " answer"};
    }
    return {true, "NOERROR, " + std::to_string(response->answers.size()) +
                      (response->answers.size() == 1 ? " answer" : " answers")};
}

std::uint16_t random_id() {
    std::array<unsigned char, 2> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        // Practically never; a predictable id only weakens spoofing protection.
        return static_cast<std::uint16_t>(
            std::chrono::steady_clock::now().time_since_epoch().count() & 0xffff);
    }
    return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
}

}  // namespace

std::unique_ptr<Checker> make_udp_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                          const CheckTarget& target) {
    return std::make_unique<AttemptChecker>(
        [&io, timeout = spec.connect_timeout, udp = spec.udp,
         target](Checker::Done done) -> std::shared_ptr<Attempt> {
            return std::make_shared<DatagramAttempt>(
                io, timeout, target, udp.payload,
                [required = udp.require_reply](std::string_view reply) {
                    return judge_udp(reply, required);
                },
                std::move(done));
        });
}

std::unique_ptr<Checker> make_dns_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                          const CheckTarget& target) {
    return std::make_unique<AttemptChecker>(
        [&io, timeout = spec.connect_timeout, dns = spec.dns,
         target](Checker::Done done) -> std::shared_ptr<Attempt> {
            const std::uint16_t id = random_id();
            std::string error;
            auto query = build_dns_query(id, dns.name, dns.type, error);
            if (!query) {
                return make_failed_attempt(io, "invalid name: " + error, std::move(done));
            }
            return std::make_shared<DatagramAttempt>(
                io, timeout, target, std::move(*query),
                [id, dns](std::string_view reply) { return judge_dns(reply, id, dns); },
                std::move(done));
        });
}

}  // namespace sluice::checks
