#include "checks/tcp_checker.h"

#include <boost/asio/ip/tcp.hpp>

#include "checks/attempt.h"

namespace sluice::checks {
namespace {

using boost::asio::ip::tcp;

class TcpAttempt final : public Attempt {
  public:
    TcpAttempt(boost::asio::io_context& io, const CheckSpec& spec, const CheckTarget& target,
               Checker::Done done)
        : Attempt(io, spec.connect_timeout, std::move(done)), target_(target), socket_(io) {}

  private:
    void run() override {
        if (const auto error = open_socket(socket_, target_.bindto)) {
            finish(false, *error);
            return;
        }
        socket_.async_connect(tcp::endpoint(to_asio(target_.address), target_.port),
                              [self = self<TcpAttempt>()](const boost::system::error_code& ec) {
                                  if (self->over()) {
                                      return;
                                  }
                                  if (ec) {
                                      self->finish(false, describe_error(ec));
                                  } else {
                                      self->finish(true, "connected");
                                  }
                              });
    }

    void close() override {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    CheckTarget target_;
    tcp::socket socket_;
};

}  // namespace

std::unique_ptr<Checker> make_tcp_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                          const CheckTarget& target) {
    return std::make_unique<AttemptChecker>(
        [&io, spec, target](Checker::Done done) -> std::shared_ptr<Attempt> {
            return std::make_shared<TcpAttempt>(io, spec, target, std::move(done));
        });
}

}  // namespace sluice::checks
