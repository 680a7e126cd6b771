#include "dataplane/packet/mac_addr.h"

namespace sluice::dataplane::packet {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

std::optional<MacAddr> MacAddr::parse(std::string_view text) noexcept {
    if (text.size() != kMacTextLen) {
        return std::nullopt;
    }
    const char sep = text[2];
    if (sep != ':' && sep != '-') {
        return std::nullopt;
    }
    MacAddr mac;
    for (std::size_t i = 0; i < kMacLen; ++i) {
        const std::size_t at = i * 3;
        if (i > 0 && text[at - 1] != sep) {
            return std::nullopt;
        }
        const int hi = hex_value(text[at]);
        const int lo = hex_value(text[at + 1]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        mac.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return mac;
}

std::array<char, kMacTextLen> MacAddr::format() const noexcept {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::array<char, kMacTextLen> out{};
    for (std::size_t i = 0; i < kMacLen; ++i) {
        const std::size_t at = i * 3;
        out[at] = kDigits[bytes[i] >> 4];
        out[at + 1] = kDigits[bytes[i] & 0x0f];
        if (i + 1 < kMacLen) {
            out[at + 2] = ':';
        }
    }
    return out;
}

}  // namespace sluice::dataplane::packet
