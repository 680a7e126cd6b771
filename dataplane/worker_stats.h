#pragma once
// Per-worker counters. Each worker owns its stats block (one cache line or more,
// never shared with another worker); the control plane only reads.

#include <atomic>
#include <cstdint>

namespace sluice::dataplane {

// A counter with a single writer. The owner adds with a relaxed load + store,
// which compiles to a plain add (no lock prefix, no fence): the hot path pays
// nothing for it. Readers on other threads get a whole, possibly slightly stale,
// value with a relaxed load, without a data race.
class SingleWriterCounter {
public:
    void add(std::uint64_t n) {
        value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    std::uint64_t get() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

inline constexpr std::size_t kCacheLine = 64;

struct alignas(kCacheLine) WorkerStats {
    SingleWriterCounter rx_packets;
    SingleWriterCounter rx_bytes;
    SingleWriterCounter tx_packets;
    SingleWriterCounter polls;       // also the worker's heartbeat: it advances every loop
    SingleWriterCounter idle_polls;  // polls that found no packet on any queue
    SingleWriterCounter sleeps;      // adaptive back-off sleeps taken
};

}  // namespace sluice::dataplane
