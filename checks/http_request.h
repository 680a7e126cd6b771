#pragma once
// The request an HTTP or HTTPS check sends (pure): one HTTP/1.1 GET with
// Connection: close, so the server may end the body by closing.
//
//   GET <path> HTTP/1.1
//   Host: <virtualhost, or address[:port] (the port left out when it is the
//          scheme's default)>
//   User-Agent: sluice-check
//   Accept: */*
//   Connection: close

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::checks {

// The Host field value when no virtualhost is configured.
std::string default_host(std::string_view address, std::uint16_t port, bool tls);

// nullopt (with `error`) when the path or host would not fit a request
// line or field: empty, or containing spaces or control characters.
std::optional<std::string> build_http_get(std::string_view path, std::string_view host,
                                          std::string& error);

}  // namespace sluice::checks
