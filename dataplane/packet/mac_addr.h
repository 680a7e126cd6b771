#pragma once
// Ethernet MAC address as a plain value, with text parse/format that never
// allocate (usable from the dataplane and the control plane alike).

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace sluice::dataplane::packet {

inline constexpr std::size_t kMacLen = 6;
inline constexpr std::size_t kMacTextLen = 17;  // "aa:bb:cc:dd:ee:ff"

struct MacAddr {
    std::array<std::uint8_t, kMacLen> bytes{};

    constexpr auto operator<=>(const MacAddr&) const = default;

    static constexpr MacAddr broadcast() noexcept {
        return MacAddr{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
    }
    static MacAddr load(const std::uint8_t* p) noexcept {
        MacAddr m;
        std::memcpy(m.bytes.data(), p, kMacLen);
        return m;
    }
    void store(std::uint8_t* p) const noexcept { std::memcpy(p, bytes.data(), kMacLen); }

    constexpr bool is_zero() const noexcept { return *this == MacAddr{}; }
    constexpr bool is_broadcast() const noexcept { return *this == broadcast(); }
    // I/G bit (IEEE 802-2014 s8.2): set for group (multicast and broadcast) addresses.
    constexpr bool is_multicast() const noexcept { return (bytes[0] & 0x01) != 0; }

    // Six hex pairs separated by ':' or '-' (one separator style throughout),
    // either case. Anything else (missing digits, trailing text) yields nullopt.
    static std::optional<MacAddr> parse(std::string_view text) noexcept;
    // Lower-case, colon separated, exactly kMacTextLen chars, no terminator.
    std::array<char, kMacTextLen> format() const noexcept;
};

// Convenience for logs and tests: view into the array returned by format().
inline std::string_view mac_text_view(const std::array<char, kMacTextLen>& text) noexcept {
    return {text.data(), text.size()};
}

}  // namespace sluice::dataplane::packet
