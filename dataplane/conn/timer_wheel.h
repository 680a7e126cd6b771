#pragma once
// Expiry of connections without per-packet list surgery: a single-level
// timer wheel of one-second ticks whose lists run through the records
// (Connection::wheel_tick / wheel_next / wheel_prev).
//
// LVS arms a kernel timer per connection and re-arms it on every packet
// (ip_vs_conn_put -> mod_timer). Here a packet only writes last_seen; a
// record stays filed under the tick it was armed for, and when that tick
// comes round the owner (ConnTable::expire) recomputes the real expiry from
// last_seen and the state's timeout, then either expires the connection or
// files it again further on ("lazy re-arm"). Only a state change to a
// *shorter* timeout moves a record early, and that is a few times per
// connection, not per packet.
//
// Ticks are the caller's seconds. A record is always filed within one lap of
// the cursor (cursor <= tick < cursor + kSlots), so a slot holds only records
// due at exactly the tick being processed: no "rounds" to skip. Expiries
// further out than a lap are filed at the lap's end and re-filed when it
// comes (one extra visit per 68 minutes of timeout).

#include <array>
#include <cstdint>

#include "dataplane/conn/connection.h"

namespace sluice::dataplane::conn {

class TimerWheel {
  public:
    static constexpr std::uint32_t kSlots = 4096;  // 1 s ticks: a lap of 68 minutes
    static constexpr std::uint32_t kNone = 0xffffffffu;

    // records is the table's record array; the wheel links its elements.
    explicit TimerWheel(Connection* records) noexcept;
    TimerWheel(const TimerWheel&) = delete;
    TimerWheel& operator=(const TimerWheel&) = delete;

    // The wheel starts at the first time it is given.
    bool started() const noexcept { return started_; }
    void start(std::uint64_t now) noexcept {
        started_ = true;
        cursor_ = now;
    }
    // The next tick to process; every tick before it has been processed.
    std::uint64_t cursor() const noexcept { return cursor_; }
    // Moves an empty wheel's cursor forward (catch-up without visiting slots).
    void skip_to(std::uint64_t tick) noexcept {
        if (armed_ == 0 && tick > cursor_) {
            cursor_ = tick;
        }
    }

    // Files a record to be looked at when its expiry (seconds modulo 2^32)
    // comes, clamped into [cursor, cursor + kSlots - 1].
    void arm(std::uint32_t index, std::uint32_t expiry) noexcept;
    // Unfiles an armed record.
    void disarm(std::uint32_t index) noexcept;

    // The first record filed under the cursor's tick, or kNone. It stays
    // filed until the caller disarms it (or re-arms it).
    std::uint32_t peek_current() const noexcept { return heads_[cursor_ & (kSlots - 1)]; }
    void advance() noexcept { ++cursor_; }

    std::uint32_t armed() const noexcept { return armed_; }

  private:
    Connection* records_;
    std::array<std::uint32_t, kSlots> heads_;
    std::uint64_t cursor_ = 0;
    std::uint32_t armed_ = 0;
    bool started_ = false;
};

}  // namespace sluice::dataplane::conn
