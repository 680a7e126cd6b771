#pragma once
// VRRP timer arithmetic (RFC 3768 section 6.1, RFC 5798 section 6.1), pure.
// Everything is in microseconds so that v3's centisecond intervals stay exact.

#include <cstdint>

namespace sluice::vrrp {

struct TimerValues {
    std::uint64_t skew_us;
    std::uint64_t master_down_us;
};

// v2: Skew_Time = (256 - Priority) / 256 seconds; the interval is whole seconds.
constexpr TimerValues v2_timers(std::uint8_t priority, std::uint32_t advert_int_s) {
    const std::uint64_t skew = (256u - priority) * 1'000'000ull / 256u;
    return {skew, 3ull * advert_int_s * 1'000'000ull + skew};
}

// v3: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256, where the
// interval is the master's (adopted by a backup), in centiseconds.
constexpr TimerValues v3_timers(std::uint8_t priority, std::uint32_t master_adver_interval_cs) {
    const std::uint64_t interval_us = master_adver_interval_cs * 10'000ull;
    const std::uint64_t skew = (256u - priority) * interval_us / 256u;
    return {skew, 3ull * interval_us + skew};
}

}  // namespace sluice::vrrp
