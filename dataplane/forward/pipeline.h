#pragma once
// The per-packet forwarding decision (pure: bytes in, verdict out; no DPDK).
// One Pipeline per worker, owning that worker's connection table, scheduler
// cursors and counters. The DPDK adapter (dataplane/worker.cpp) feeds it frames
// and carries out verdicts.
//
//   parse -> ARP: answer for own addresses and owned VIPs, learn senders
//         -> IPv4: VIP service? conn lookup / schedule (else the sorry server) + insert
//                            -> NAT/DR/TUN rewrite
//                  connection to a down backend of a reset_on_backend_down service?
//                            -> remove it; TCP: answer the client with a RST
//                  reply of a NAT connection? -> rewrite source back to the VIP
//                  own address: ICMP echo reply
//         -> next hop + neighbour MAC -> L2 rewrite -> transmit
//
// Never allocates, locks, logs or throws; every drop is counted by reason.

#include <array>
#include <cstdint>
#include <vector>

#include "dataplane/conn/conn_table.h"
#include "dataplane/forward/counters.h"
#include "dataplane/forward/neighbours.h"
#include "dataplane/forward/snapshot.h"
#include "dataplane/packet/parse.h"
#include "dataplane/sched/persistence.h"
#include "dataplane/sched/scheduler_state.h"

namespace sluice::dataplane::forward {

struct Frame {
    std::uint8_t* data = nullptr;  // first byte of the Ethernet header
    std::uint32_t len = 0;
    std::uint32_t headroom = 0;    // bytes writable before `data` (IPIP needs 20)
    std::uint16_t in_port = 0;     // index into Snapshot::ports
    // Bytes writable after data + len (the mbuf's tailroom; 0: none known).
    // Trimming Ethernet padding adds the trimmed bytes. Used to pad frames we
    // build shorter than the Ethernet minimum (TCP resets).
    std::uint32_t tailroom = 0;
};

// consume: handled, nothing to send and nothing wrong (e.g. an ARP reply we learned from).
// hold: ready to send but the next hop's MAC is unknown: the worker parks the packet
// (bounded, briefly) until the control plane has resolved `next_hop`, then sets L2.
// to_host: for the kernel (the port's exception path); `reason` says what it
// is counted as when the port has none (DropReason::count_: not counted).
// punt: for the control plane (VRRP adverts): the worker queues the mbuf on the
// punt ring (counted punt_full when that ring is full).
enum class Action : std::uint8_t { drop, transmit, consume, hold, to_host, punt };

struct Verdict {
    Action action = Action::drop;
    DropReason reason = DropReason::not_for_us;  // when dropped
    std::uint16_t out_port = 0;                  // index into Snapshot::ports, when transmitted
    std::uint32_t prepended = 0;                 // bytes added before the old start (TUN)
    std::uint32_t len = 0;                       // the frame's new length
    std::uint32_t next_hop = 0;                  // hold: the address to resolve
};

// Something the control plane should know about neighbours.
struct NeighbourEvent {
    enum class Kind : std::uint8_t { learned, unresolved };
    Kind kind = Kind::learned;
    std::uint16_t port = 0;  // index into Snapshot::ports
    std::uint32_t ip = 0;
    packet::MacAddr mac;     // learned only
};

struct PipelineConfig {
    std::uint32_t max_connections = 1u << 20;
    std::uint64_t conn_seed = conn::kDefaultConnSeed;
};

class Pipeline {
public:
    static constexpr std::uint32_t kMaxEvents = 64;  // per burst; extra ones are counted and lost

    explicit Pipeline(const PipelineConfig& config);

    // Installs the per-service timeout profiles of a newly loaded snapshot.
    // Call on the worker when it sees a new snapshot generation.
    void adopt(const Snapshot& snapshot);

    Verdict process(Frame& frame, const Snapshot& snapshot, const NeighbourTable& neighbours,
                    std::uint64_t now_s) noexcept;

    // The same for up to kMaxBurstFrames frames at once, the way a worker
    // receives them: every header is parsed and every connection-table bucket
    // prefetched first, then the packets are processed in order, so the
    // table's cache misses overlap instead of queueing (at 1M connections a
    // lone lookup waits ~300 ns on memory).
    void process_burst(Frame* frames, Verdict* verdicts, std::uint32_t n, const Snapshot& snapshot,
                       const NeighbourTable& neighbours, std::uint64_t now_s) noexcept;
    static constexpr std::uint32_t kMaxBurstFrames = 64;

    // Expires idle connections; call once per loop with a small budget.
    std::uint32_t expire(std::uint64_t now_s, std::uint32_t budget) noexcept {
        return conns_.expire(now_s, budget);
    }

    // Events produced since the last take: the adapter forwards them to the
    // control plane and then calls clear_events().
    const NeighbourEvent* events() const noexcept { return events_.data(); }
    std::uint32_t event_count() const noexcept { return event_count_; }
    void clear_events() noexcept { event_count_ = 0; }

    const ForwardCounters& counters() const noexcept { return counters_; }
    ForwardCounters& counters() noexcept { return counters_; }
    const conn::ConnTable& connections() const noexcept { return conns_; }
    std::span<const conn::BackendConnCounts> backend_conn_counts() const noexcept { return backend_counts_; }

private:
    Verdict process_parsed(Frame& frame, packet::PacketMeta& meta, packet::ParseStatus status,
                           const std::uint64_t* key_hash, const Snapshot& snapshot,
                           const NeighbourTable& neighbours, std::uint64_t now_s) noexcept;
    Verdict on_arp(Frame& frame, const packet::PacketMeta& meta, const Snapshot& snapshot,
                   const NeighbourTable& neighbours) noexcept;
    Verdict on_service(Frame& frame, packet::PacketMeta& meta, const ServiceView& service,
                       const std::uint64_t* key_hash, const Snapshot& snapshot, const NeighbourTable& neighbours,
                       std::uint64_t now_s) noexcept;
    Verdict on_reply(Frame& frame, packet::PacketMeta& meta, conn::Connection& c,
                     const Snapshot& snapshot, const NeighbourTable& neighbours, std::uint64_t now_s) noexcept;
    Verdict on_icmp_error(Frame& frame, packet::PacketMeta& meta, const Snapshot& snapshot,
                          const NeighbourTable& neighbours) noexcept;
    // Replaces the frame with ICMP "fragmentation needed" to its sender.
    Verdict frag_needed(Frame& frame, const packet::PacketMeta& meta, const Snapshot& snapshot,
                        const NeighbourTable& neighbours, std::uint16_t next_hop_mtu) noexcept;
    Verdict echo_reply(Frame& frame, packet::PacketMeta& meta, const Snapshot& snapshot) noexcept;
    // A client's packet of a connection whose backend must be reset: removes
    // the connection and, for TCP, turns the frame into a RST to the client.
    Verdict reset_connection(Frame& frame, packet::PacketMeta& meta, conn::ConnHandle handle) noexcept;
    std::uint32_t schedule(const ServiceView& service, const packet::PacketMeta& meta, std::uint64_t now_s) noexcept;
    // Routes to `dst`, rewrites L2 for the next hop, or returns a drop verdict.
    Verdict send(Frame& frame, const Snapshot& snapshot, const NeighbourTable& neighbours,
                 common::Ipv4Addr dst, std::uint32_t prepended) noexcept;
    static Verdict to_host(const Frame& frame, DropReason reason_without_tap) noexcept {
        return Verdict{Action::to_host, reason_without_tap, frame.in_port, 0, frame.len, 0};
    }
    Verdict drop(DropReason reason) noexcept {
        counters_.drop(reason);
        return Verdict{Action::drop, reason, 0, 0, 0};
    }
    void emit(const NeighbourEvent& e) noexcept;

    conn::ConnTable conns_;
    std::vector<conn::BackendConnCounts> backend_counts_;      // by backend slot
    std::vector<sched::SchedulerState> sched_state_;           // by service slot
    std::vector<std::uint32_t> scratch_active_;                // lc/wlc: one service's counts
    std::vector<std::uint32_t> scratch_inactive_;
    std::array<NeighbourEvent, kMaxEvents> events_{};
    std::array<packet::PacketMeta, kMaxBurstFrames> burst_meta_{};
    std::array<packet::ParseStatus, kMaxBurstFrames> burst_status_{};
    std::array<std::uint64_t, kMaxBurstFrames> burst_hash_{};
    std::array<bool, kMaxBurstFrames> burst_hashed_{};
    std::uint32_t event_count_ = 0;
    std::uint16_t ip_id_ = 0;                                  // outer IPIP header IDs
    // Persistent services (LVS persistence templates): client network -> backend
    // index. The epoch changes with every new snapshot, since backend indices may
    // change on reload: bindings made before a reload are not found after it.
    sched::PersistenceTable persistence_;
    std::uint32_t persistence_epoch_ = 0;
    ForwardCounters counters_;
};

}  // namespace sluice::dataplane::forward
