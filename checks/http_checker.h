#pragma once
// HTTP_GET and SSL_GET: connect, (TLS handshake,) send one GET (http_request.h)
// and parse the response (http_response_parser.h, default limits: 16 KiB of
// header section, 1 MiB of body kept), all within connect_timeout.
//
// Up when the status is in http.status_codes (default 200-299) and, when set,
// the body matches body_regex (over the first 1 MiB) and its MD5 equals
// digest (over the whole body, streamed). Without regex or digest the result
// is decided on the header section and the body is not read.
//
// HTTPS: SNI is tls.sni, else http.virtualhost (without a ":port"), unless it
// is an IP address. With tls.verify the chain is verified against the
// context's CAs and, when that name is set, the certificate must match it
// (a DNS name, or an IP address in subjectAltName). The server may end the
// body by closing without close_notify: that counts as the end (a truncation
// attack cannot turn a failure into success beyond what a plain GET allows).

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "checks/check_spec.h"
#include "checks/checker.h"

namespace sluice::checks {

// `tls_context` is used for https; nullptr with `tls_error` when it could not
// be made (every attempt then fails with that reason).
std::unique_ptr<Checker> make_http_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                           const CheckTarget& target,
                                           std::shared_ptr<boost::asio::ssl::context> tls_context,
                                           std::string tls_error);

}  // namespace sluice::checks
