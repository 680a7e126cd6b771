#pragma once
// IPv4 addresses and prefixes as plain values (host byte order), with parsing
// and formatting. No DPDK, no Boost: usable by every module and by tests.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::common {

struct Ipv4Addr {
    std::uint32_t value = 0;  // host byte order: 198.18.0.1 == 0xc6120001

    constexpr Ipv4Addr() = default;
    constexpr explicit Ipv4Addr(std::uint32_t v) : value(v) {}
    constexpr auto operator<=>(const Ipv4Addr&) const = default;

    // Dotted quad only ("198.18.0.1"); no shorthand forms, no leading zeros.
    static std::optional<Ipv4Addr> parse(std::string_view text);
    std::string to_string() const;
    bool is_multicast() const { return (value >> 28) == 0xe; }
};

struct Ipv4Prefix {
    Ipv4Addr addr;
    std::uint8_t len = 32;

    constexpr auto operator<=>(const Ipv4Prefix&) const = default;

    // "198.18.0.2/24", or a bare address meaning /32.
    static std::optional<Ipv4Prefix> parse(std::string_view text);
    std::string to_string() const;
    Ipv4Addr netmask() const { return Ipv4Addr{len == 0 ? 0u : ~0u << (32 - len)}; }
    bool contains(Ipv4Addr a) const {
        return (a.value & netmask().value) == (addr.value & netmask().value);
    }
};

// True when `mask` is a contiguous netmask such as 255.255.255.0.
bool is_contiguous_netmask(Ipv4Addr mask);

}  // namespace sluice::common
