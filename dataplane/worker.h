#pragma once
// A polling worker: one per configured lcore. In this release it receives,
// counts and frees packets; forwarding arrives with the packet pipeline.

#include <atomic>
#include <cstdint>
#include <vector>

#include "dataplane/idle_backoff.h"
#include "dataplane/worker_stats.h"

namespace sluice::dataplane {

// Everything a worker touches, owned by the Dataplane and set up before launch.
// The worker writes only `stats` and `backoff`; the rest is read-only once running.
struct alignas(kCacheLine) WorkerContext {
    WorkerContext(std::uint32_t lcore_id, std::uint16_t queue_id, std::vector<std::uint16_t> port_ids,
                  std::uint16_t burst_size, IdleBackoff idle, const std::atomic<bool>& stop_flag)
        : lcore(lcore_id),
          queue(queue_id),
          ports(std::move(port_ids)),
          burst(burst_size),
          backoff(idle),
          stop(&stop_flag) {}

    std::uint32_t lcore;
    std::uint16_t queue;               // this worker's RX/TX queue on every port
    std::vector<std::uint16_t> ports;  // DPDK port ids to poll
    std::uint16_t burst;               // <= kMaxBurst
    IdleBackoff backoff;
    const std::atomic<bool>* stop;
    WorkerStats stats;
};

inline constexpr std::uint16_t kMaxBurst = 64;

// One pass over this worker's queue on every port: receive a burst, count it,
// free it. Returns the packets seen. The loop body of worker_main, exposed for
// benchmarks.
std::uint32_t poll_once(WorkerContext& ctx);

// lcore entry point for rte_eal_remote_launch; `arg` is a WorkerContext*.
// Returns 0 when the stop flag is raised.
int worker_main(void* arg);

}  // namespace sluice::dataplane
