#include "dataplane/conn/timer_wheel.h"

namespace sluice::dataplane::conn {

TimerWheel::TimerWheel(Connection* records) noexcept : records_(records), heads_{} {
    heads_.fill(kNone);
}

void TimerWheel::arm(std::uint32_t index, std::uint32_t expiry) noexcept {
    // Distance from the cursor, wrap-safe in 32 bits (timeouts are far below 2^31).
    const auto distance = static_cast<std::int32_t>(expiry - static_cast<std::uint32_t>(cursor_));
    std::uint64_t tick = cursor_;
    if (distance > 0) {
        tick += distance < static_cast<std::int32_t>(kSlots) ? static_cast<std::uint64_t>(distance)
                                                             : std::uint64_t{kSlots - 1};
    }
    std::uint32_t& head = heads_[tick & (kSlots - 1)];
    Connection& c = records_[index];
    c.wheel_tick = static_cast<std::uint32_t>(tick);
    c.wheel_prev = kNone;
    c.wheel_next = head;
    if (head != kNone) {
        records_[head].wheel_prev = index;
    }
    head = index;
    ++armed_;
}

void TimerWheel::disarm(std::uint32_t index) noexcept {
    Connection& c = records_[index];
    if (c.wheel_prev == kNone) {
        heads_[c.wheel_tick & (kSlots - 1)] = c.wheel_next;
    } else {
        records_[c.wheel_prev].wheel_next = c.wheel_next;
    }
    if (c.wheel_next != kNone) {
        records_[c.wheel_next].wheel_prev = c.wheel_prev;
    }
    c.wheel_next = kNone;
    c.wheel_prev = kNone;
    --armed_;
}

}  // namespace sluice::dataplane::conn
