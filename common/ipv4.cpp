#include "common/ipv4.h"

#include <charconv>

namespace sluice::common {

std::optional<Ipv4Addr> Ipv4Addr::parse(std::string_view text) {
    std::uint32_t value = 0;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (p == end || *p != '.') {
                return std::nullopt;
            }
            ++p;
        }
        if (p == end || *p < '0' || *p > '9') {
            return std::nullopt;
        }
        if (*p == '0' && p + 1 != end && p[1] >= '0' && p[1] <= '9') {
            return std::nullopt;  // leading zero: ambiguous (octal in inet_aton)
        }
        unsigned v = 0;
        auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc{} || v > 255 || next - p > 3) {
            return std::nullopt;
        }
        value = (value << 8) | v;
        p = next;
    }
    if (p != end) {
        return std::nullopt;
    }
    return Ipv4Addr{value};
}

std::string Ipv4Addr::to_string() const {
    return std::to_string(value >> 24) + '.' + std::to_string((value >> 16) & 0xff) + '.' +
           std::to_string((value >> 8) & 0xff) + '.' + std::to_string(value & 0xff);
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto addr = Ipv4Addr::parse(text.substr(0, slash));
    if (!addr) {
        return std::nullopt;
    }
    if (slash == std::string_view::npos) {
        return Ipv4Prefix{*addr, 32};
    }
    const auto len_text = text.substr(slash + 1);
    unsigned len = 0;
    auto [next, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (ec != std::errc{} || next != len_text.data() + len_text.size() || len > 32 ||
        len_text.empty()) {
        return std::nullopt;
    }
    return Ipv4Prefix{*addr, static_cast<std::uint8_t>(len)};
}

std::string Ipv4Prefix::to_string() const { return addr.to_string() + '/' + std::to_string(len); }

bool is_contiguous_netmask(Ipv4Addr mask) {
    const std::uint32_t inverted = ~mask.value;
    return (inverted & (inverted + 1)) == 0;
}

}  // namespace sluice::common
