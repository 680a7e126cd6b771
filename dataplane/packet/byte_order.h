#pragma once
// Network byte order loads and stores on raw frame bytes. memcpy-based, so any
// alignment is safe (frames start at arbitrary offsets after a VLAN tag or IP
// options); compilers lower each to one load/store plus a bswap.

#include <bit>
#include <cstdint>
#include <cstring>

namespace sluice::dataplane::packet {

[[nodiscard]] inline std::uint16_t load_be16(const std::uint8_t* p) noexcept {
    std::uint16_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::little) {
        v = __builtin_bswap16(v);
    }
    return v;
}

[[nodiscard]] inline std::uint32_t load_be32(const std::uint8_t* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::little) {
        v = __builtin_bswap32(v);
    }
    return v;
}

inline void store_be16(std::uint8_t* p, std::uint16_t v) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
        v = __builtin_bswap16(v);
    }
    std::memcpy(p, &v, sizeof v);
}

inline void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
        v = __builtin_bswap32(v);
    }
    std::memcpy(p, &v, sizeof v);
}

}  // namespace sluice::dataplane::packet
