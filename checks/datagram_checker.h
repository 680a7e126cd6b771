#pragma once
// UDP_CHECK and DNS_CHECK: one datagram to the target and one reply within
// connect_timeout. The socket is connected, so an ICMP port unreachable
// arrives as "connection refused" and replies from elsewhere are not seen.
// Replies are read into a 4 KiB buffer (longer datagrams are cut; DNS without
// EDNS stays within 512 bytes).
//  - UDP: `payload` is sent; any reply is up, or with require_reply one that
//    begins with those bytes (udp_reply.h). No reply: down.
//  - DNS: a query for `name`/`type` (random id) is sent; a reply with rcode
//    NOERROR is up (with require_answer it needs an answer of that type);
//    another rcode, a malformed reply or none at all is down.

#include <memory>

#include <boost/asio/io_context.hpp>

#include "checks/check_spec.h"
#include "checks/checker.h"

namespace sluice::checks {

std::unique_ptr<Checker> make_udp_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                          const CheckTarget& target);
std::unique_ptr<Checker> make_dns_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                          const CheckTarget& target);

}  // namespace sluice::checks
