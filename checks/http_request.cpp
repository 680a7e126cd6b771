#include "checks/http_request.h"

#include <algorithm>

namespace sluice::checks {
namespace {

bool is_visible(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f;
}

}  // namespace

std::string default_host(std::string_view address, std::uint16_t port, bool tls) {
    std::string host(address);
    if (port != (tls ? 443 : 80)) {
        host += ':' + std::to_string(port);
    }
    return host;
}

std::optional<std::string> build_http_get(std::string_view path, std::string_view host,
                                          std::string& error) {
    if (path.empty() || !std::all_of(path.begin(), path.end(), is_visible)) {
        error = "invalid path";
        return std::nullopt;
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_visible)) {
        error = "invalid host";
        return std::nullopt;
    }
    std::string request;
    request.reserve(path.size() + host.size() + 96);
    request += "GET ";
    request += path;
    request += " HTTP/1.1\r\nHost: ";
    request += host;
    request += "\r\nUser-Agent: sluice-check\r\nAccept: */*\r\nConnection: close\r\n\r\n";
    return request;
}

}  // namespace sluice::checks
