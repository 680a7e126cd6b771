#pragma once
// Idle back-off for polling workers (pure, no EAL).
//
// Production workers busy-poll. On shared hosts (demos, tests, a 2-core CI box
// running two appliances plus nginx and keepalived) a spinning worker starves
// everyone else, so in adaptive mode a worker that saw `kSpinPolls` empty polls
// in a row starts sleeping, doubling the sleep up to `max_sleep_us`; the first
// packet resets it. The worst added latency is one max sleep after a quiet spell.

#include <algorithm>
#include <cstdint>

namespace sluice::dataplane {

class IdleBackoff {
public:
    static constexpr std::uint32_t kSpinPolls = 256;  // ~ a few microseconds of spinning

    IdleBackoff(bool adaptive, std::uint32_t max_sleep_us)
        : adaptive_(adaptive), max_sleep_us_(std::max<std::uint32_t>(max_sleep_us, 1)) {}

    // Call after each poll with the number of packets it found. Returns how many
    // microseconds to sleep now (0: poll again at once).
    std::uint32_t on_poll(std::uint32_t packets) {
        if (packets != 0 || !adaptive_) {
            empty_ = 0;
            sleep_us_ = 0;
            return 0;
        }
        if (++empty_ < kSpinPolls) {
            return 0;
        }
        sleep_us_ = sleep_us_ == 0 ? 1 : std::min(sleep_us_ * 2, max_sleep_us_);
        return sleep_us_;
    }

private:
    bool adaptive_;
    std::uint32_t max_sleep_us_;
    std::uint32_t empty_ = 0;
    std::uint32_t sleep_us_ = 0;
};

}  // namespace sluice::dataplane
