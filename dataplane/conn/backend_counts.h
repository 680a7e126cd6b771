#pragma once
// Per-(service, backend) connection counts that the least-connection
// schedulers read (LVS dest->activeconns / dest->inactconns).

#include <cstdint>

namespace sluice::dataplane::conn {

// One slot per (service, backend) pair, in a flat array the owner provides
// and numbers; a connection stores its slot (Connection::backend_slot).
// Single writer (the worker that owns the table), no atomics: the scheduler
// runs on the same worker. Counts are per worker, like the table.
struct BackendConnCounts {
    std::uint32_t active = 0;    // connections in ESTABLISHED
    std::uint32_t inactive = 0;  // every other state, and all non-TCP connections

    friend constexpr bool operator==(const BackendConnCounts&, const BackendConnCounts&) = default;
};

}  // namespace sluice::dataplane::conn
