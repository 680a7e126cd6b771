#pragma once
// A polling worker: one per configured lcore. Each loop it loads the current
// snapshot and neighbour table (RCU), receives a burst from its queue on every
// port, runs each packet through its Pipeline, transmits what is to be sent,
// hands neighbour events to the control plane, expires idle connections and
// reports a quiescent state.

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "dataplane/conn_dump_slot.h"
#include "dataplane/forward/neighbours.h"
#include "dataplane/forward/pipeline.h"
#include "dataplane/forward/snapshot.h"
#include "dataplane/idle_backoff.h"
#include "dataplane/rcu_published.h"
#include "dataplane/rings.h"
#include "dataplane/worker_stats.h"

struct rte_mbuf;

namespace sluice::dataplane {

inline constexpr std::uint16_t kMaxBurst = 64;
inline constexpr std::size_t kMaxPorts = 8;
inline constexpr std::uint16_t kNoPort = 0xffff;
// Packets waiting for their next hop's MAC: at most this many per worker, for
// at most kPendingWaitS (then dropped as unresolved_neighbour). Enough for the
// first packets of a burst of new flows while the control plane resolves (ARP
// takes well under a millisecond on a LAN; the control loop ticks every 20 ms).
inline constexpr std::size_t kPendingMax = 256;
inline constexpr std::uint64_t kPendingWaitS = 1;

struct PendingPacket {
    rte_mbuf* m = nullptr;
    std::uint32_t next_hop = 0;
    std::uint16_t out_port = 0;    // index into Snapshot::ports
    std::uint64_t since_s = 0;
};

// What a worker reads and shares; owned by the Dataplane.
struct WorkerShared {
    const RcuPublished<forward::Snapshot>* snapshot = nullptr;
    const RcuPublished<forward::NeighbourTable>* neighbours = nullptr;
    QsbrDomain* qsbr = nullptr;
    EventRing* events = nullptr;
    const std::atomic<bool>* stop = nullptr;
    RedirectRing* const* redirect = nullptr;  // one per worker, indexed by queue id
    PuntRing* punt = nullptr;                 // frames for the control plane
    int punt_wakeup_fd = -1;                  // eventfd: written when the punt ring turns non-empty
    std::uint32_t workers = 1;
};

// Everything one worker touches, set up before launch. The worker writes only
// its own members; the control plane reads `stats` and the pipeline's counters.
struct alignas(kCacheLine) WorkerContext {
    WorkerContext(std::uint32_t lcore_id, std::uint16_t queue_id, std::vector<std::uint16_t> port_ids,
                  std::vector<std::uint16_t> tap_ids, std::uint16_t burst_size, IdleBackoff idle,
                  WorkerShared shared_state, const forward::PipelineConfig& pipeline_config, TxRing* control_tx)
        : lcore(lcore_id),
          queue(queue_id),
          ports(std::move(port_ids)),
          taps(std::move(tap_ids)),
          burst(burst_size),
          backoff(idle),
          shared(shared_state),
          tx_ring(control_tx),
          pipeline(pipeline_config) {
        tx_ids.fill(kNoPort);
        for (std::size_t i = 0; i < ports.size() && i < kMaxPorts; ++i) {
            tx_ids[i] = ports[i];
            tx_ids[kMaxPorts + i] = i < taps.size() ? taps[i] : kNoPort;
        }
    }

    std::uint32_t lcore;
    std::uint16_t queue;               // this worker's RX/TX queue on every port; also its RCU reader id
    std::vector<std::uint16_t> ports;  // DPDK port ids, index = Snapshot::ports index
    std::vector<std::uint16_t> taps;   // exception-path TAP per port, or kNoPort
    std::uint16_t burst;               // <= kMaxBurst
    IdleBackoff backoff;
    WorkerShared shared;
    TxRing* tx_ring;                   // control-plane packets to send; worker 0 only
    forward::Pipeline pipeline;
    std::uint64_t seen_generation = 0;
    std::uint64_t seen_services_generation = 0;  // adopt() only when services change
    // TX buffers: [0, kMaxPorts) the ports, [kMaxPorts, 2 kMaxPorts) their TAPs.
    std::array<std::array<rte_mbuf*, kMaxBurst>, 2 * kMaxPorts> tx{};
    std::array<std::uint16_t, 2 * kMaxPorts> tx_count{};
    std::array<std::uint16_t, 2 * kMaxPorts> tx_ids{};
    std::array<PendingPacket, kPendingMax> pending{};
    // Control-plane frames the TX queue refused, retried first on the next poll.
    std::array<rte_mbuf*, kMaxBurst> control_backlog{};
    std::uint32_t control_backlog_count = 0;
    std::uint32_t pending_count = 0;
    const forward::NeighbourTable* pending_checked = nullptr;  // table version last tried
    std::uint64_t pending_checked_s = 0;
    WorkerStats stats;
    ConnDumpSlot dump;  // `sluicectl conns` requests (see conn_dump_slot.h)
};

// One pass over this worker's queue on every port. Returns the packets received.
std::uint32_t poll_once(WorkerContext& ctx);

// lcore entry point for rte_eal_remote_launch; `arg` is a WorkerContext*.
// Returns 0 when the stop flag is raised.
int worker_main(void* arg);

}  // namespace sluice::dataplane
