#include "checks/check_schedule.h"

#include <algorithm>
#include <limits>

namespace sluice::checks {

namespace {

std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) {
    return b > std::numeric_limits<std::uint64_t>::max() - a
               ? std::numeric_limits<std::uint64_t>::max()
               : a + b;
}

// SplitMix64's finaliser: consecutive seeds give unrelated values.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e37'79b9'7f4a'7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58'476d'1ce4'e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d0'49bb'1331'11ebULL;
    return x ^ (x >> 31);
}

}  // namespace

std::uint64_t warmup_offset(std::uint64_t warmup_us, std::uint64_t seed) {
    if (warmup_us == 0) {
        return 0;
    }
    return mix(seed) % warmup_us;  // the modulo bias is below 2^-40 for any sane warm-up
}

BackendCheck::BackendCheck(const CheckTiming& timing, Health initial, std::uint64_t now_us,
                           std::uint64_t seed)
    : timing_(timing),
      rise_fall_(timing.rise, timing.fall, initial),
      next_attempt_us_(add_saturating(now_us, warmup_offset(timing.warmup_us, seed))),
      since_us_(now_us) {}

std::uint64_t BackendCheck::attempt_deadline_us() const {
    return add_saturating(next_attempt_us_, timing_.connect_timeout_us);
}

BackendCheck::Update BackendCheck::on_result(std::uint64_t now_us, bool success) {
    Update u;
    ++attempts_;
    bool counts = true;
    if (success) {
        retry_it_ = 0;
        consecutive_failures_ = 0;
        ++consecutive_successes_;
    } else {
        ++failed_attempts_;
        if (rise_fall_.health() == Health::up && retry_it_ < timing_.retry) {
            ++retry_it_;
            counts = false;
        } else {
            retry_it_ = 0;
            ++failures_;
            ++consecutive_failures_;
            consecutive_successes_ = 0;
            u.attempt_failed_final = true;
        }
    }
    if (counts && rise_fall_.on_result(success)) {
        u.health_changed = true;
        since_us_ = now_us;
    }
    u.health = rise_fall_.health();
    u.will_retry = !counts;

    const std::uint64_t delay = counts ? timing_.interval_us : timing_.delay_before_retry_us;
    const std::uint64_t base =
        timing_.from_attempt_start ? std::min(next_attempt_us_, now_us) : now_us;
    next_attempt_us_ = std::max(add_saturating(base, delay), now_us);
    u.next_attempt_us = next_attempt_us_;
    return u;
}

}  // namespace sluice::checks
