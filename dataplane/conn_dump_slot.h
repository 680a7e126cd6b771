#pragma once
// The control plane's request for a worker's connections (`sluicectl conns`)
// and the worker's answer, one slot per worker. The connection table belongs
// to its worker: the control plane never walks it. It fills the filter and
// limit of an idle slot and publishes a new sequence number (release); the
// worker notices it at the end of a poll (one relaxed load when idle), copies
// matches a slice at a time into the buffer allocated at start, and publishes
// completion (release). The control plane reads the records only after it saw
// completed == requested (acquire), and asks again only then.

#include <atomic>
#include <cstdint>
#include <vector>

#include "dataplane/conn/conn_dump.h"
#include "dataplane/worker_stats.h"

namespace sluice::dataplane {

inline constexpr std::uint32_t kMaxDump = 10000;    // records per worker and request, at most
inline constexpr std::uint32_t kDumpBudget = 2048;  // record slots looked at per poll

struct alignas(kCacheLine) ConnDumpSlot {
    ConnDumpSlot() : records(kMaxDump) {}

    std::atomic<std::uint64_t> requested{0};  // control plane: release after filter and limit
    std::atomic<std::uint64_t> completed{0};  // worker: release after records, count, truncated
    // Written by the control plane while the slot is idle (completed == requested).
    conn::DumpFilter filter;
    std::uint32_t limit = 0;  // <= kMaxDump
    // Written by the worker while serving; read by the control plane once completed.
    std::vector<conn::DumpRecord> records;  // kMaxDump entries, never resized
    std::uint32_t count = 0;
    bool truncated = false;
    // The worker's own progress.
    std::uint64_t serving = 0;
    conn::DumpProgress progress;
};

}  // namespace sluice::dataplane
