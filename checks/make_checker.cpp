#include <utility>

#include "checks/attempt.h"
#include "checks/checker.h"
#include "checks/datagram_checker.h"
#include "checks/http_checker.h"
#include "checks/misc_checker.h"
#include "checks/tcp_checker.h"
#include "checks/tls_context_cache.h"

namespace sluice::checks {
namespace {

// A checker whose every attempt fails with `reason`.
std::unique_ptr<Checker> make_failing(boost::asio::io_context& io, std::string reason) {
    return std::make_unique<AttemptChecker>(
        [&io, reason = std::move(reason)](Checker::Done done) -> std::shared_ptr<Attempt> {
            return make_failed_attempt(io, reason, std::move(done));
        });
}

std::unique_ptr<Checker> make(boost::asio::io_context& io, process::ProcessRunner& runner,
                              const CheckSpec& spec, const CheckTarget& target,
                              TlsContextCache* tls) {
    // Without a deadline a hung backend would hold the attempt forever.
    if (spec.type == CheckType::misc ? spec.misc.timeout.count() <= 0
                                     : spec.connect_timeout.count() <= 0) {
        return make_failing(io, spec.type == CheckType::misc ? "misc timeout is not positive"
                                                             : "connect_timeout is not positive");
    }
    switch (spec.type) {
        case CheckType::tcp:
            return make_tcp_checker(io, spec, target);
        case CheckType::http:
            return make_http_checker(io, spec, target, nullptr, {});
        case CheckType::https: {
            std::string error;
            auto context = tls != nullptr
                               ? tls->get(spec.tls.verify, spec.tls.ca_file, error)
                               : make_tls_context(spec.tls.verify, spec.tls.ca_file, error);
            return make_http_checker(io, spec, target, std::move(context), std::move(error));
        }
        case CheckType::misc:
            return make_misc_checker(io, runner, spec);
        case CheckType::udp:
            return make_udp_checker(io, spec, target);
        case CheckType::dns:
            return make_dns_checker(io, spec, target);
    }
    return make_tcp_checker(io, spec, target);
}

}  // namespace

std::unique_ptr<Checker> make_checker(boost::asio::io_context& io, process::ProcessRunner& runner,
                                      const CheckSpec& spec, const CheckTarget& target,
                                      TlsContextCache& tls) {
    return make(io, runner, spec, target, &tls);
}

std::unique_ptr<Checker> make_checker(boost::asio::io_context& io, process::ProcessRunner& runner,
                                      const CheckSpec& spec, const CheckTarget& target) {
    return make(io, runner, spec, target, nullptr);
}

}  // namespace sluice::checks
