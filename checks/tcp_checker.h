#pragma once
// TCP_CHECK: up when a connection to the target completes within
// connect_timeout; the connection is closed at once.

#include <memory>

#include <boost/asio/io_context.hpp>

#include "checks/check_spec.h"
#include "checks/checker.h"

namespace sluice::checks {

std::unique_ptr<Checker> make_tcp_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                          const CheckTarget& target);

}  // namespace sluice::checks
