#pragma once
// The dataplane as one object: EAL, mempool, ports, rings, the RCU-published
// snapshot and neighbour table, and the polling workers. Created and driven by
// the control plane's main thread. Library code never exits the process: every
// failure comes back as a message.

#include <atomic>
#include <functional>
#include <span>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/eal_args.h"
#include "dataplane/forward/neighbours.h"
#include "dataplane/forward/snapshot.h"
#include "dataplane/rcu_published.h"
#include "dataplane/rings.h"
#include "dataplane/settings.h"
#include "dataplane/status.h"
#include "dataplane/worker.h"

struct rte_mempool;

namespace sluice::dataplane {

// Forwarding counters summed over every worker.
struct ForwardTotals {
    std::array<std::uint64_t, forward::kDropReasonCount> drops{};
    std::uint64_t arp_replies = 0;
    std::uint64_t icmp_echo_replies = 0;
    std::uint64_t forwarded = 0;
    std::uint64_t redirected = 0;
    std::uint64_t punted = 0;
    std::uint64_t to_host = 0;
    std::uint64_t from_host = 0;
    std::uint64_t sorry = 0;        // new connections given to a sorry server
    std::uint64_t resets_sent = 0;  // TCP RSTs sent for connections of a down backend (reset_on_backend_down)
    std::uint64_t connections = 0;  // live, all workers
    std::uint64_t connection_capacity = 0;
};

struct TrafficTotals {
    std::uint64_t connections = 0;  // created
    std::uint64_t packets_in = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t packets_out = 0;
    std::uint64_t bytes_out = 0;
    std::uint64_t active = 0;    // backends only: live connections in ESTABLISHED
    std::uint64_t inactive = 0;  // backends only: live connections in other states
};

class Dataplane {
public:
    explicit Dataplane(DataplaneSettings settings);
    ~Dataplane();
    Dataplane(const Dataplane&) = delete;
    Dataplane& operator=(const Dataplane&) = delete;

    // Initialises the EAL with `plan`, creates the mempool and rings, opens and
    // starts every configured port and launches one worker per worker lcore.
    // Workers drop (counted as no_config) until the first publish_snapshot().
    // On failure returns false with `error` set; whatever was opened is closed.
    bool start(const EalPlan& plan, std::string& error);

    // Raises the stop flag, waits for every worker, stops and closes the ports
    // and releases the EAL (no hugepage files remain). Idempotent.
    void stop();

    bool running() const { return running_; }
    std::vector<PortStatus> port_status() const;
    std::vector<WorkerStatus> worker_status() const;
    // MAC address of each configured port, in configuration order.
    std::vector<packet::MacAddr> port_macs() const;
    std::vector<std::uint16_t> port_ids() const { return port_ids_; }
    // Link state of port `port_index` (configuration order), without waiting.
    bool link_up(std::uint16_t port_index) const;
    // Adds a MAC (a VRRP virtual MAC) to the port's receive filter; "" on
    // success (also when the PMD has no filter), else the reason.
    std::string add_mac(std::uint16_t port_index, const packet::MacAddr& mac);

    // Control plane: publish new versions; old ones are freed by reclaim()
    // once every worker has passed a quiescent state.
    void publish_snapshot(std::unique_ptr<forward::Snapshot> snapshot);
    void publish_neighbours(std::unique_ptr<forward::NeighbourTable> neighbours);
    void reclaim();
    const forward::Snapshot* snapshot() const { return snapshot_holder_ ? snapshot_holder_->load() : nullptr; }

    // Control plane: neighbour events from the workers.
    std::uint32_t pop_events(forward::NeighbourEvent* out, std::uint32_t max);

    // Control plane: frames the workers punted (VRRP adverts), at most `max`,
    // each handed to `handler` with the index of the port it arrived on (the
    // bytes are valid during the call only), then freed. Returns how many.
    using PuntHandler = std::function<void(std::uint16_t port_index, std::span<const std::uint8_t> frame)>;
    std::uint32_t drain_punted(const PuntHandler& handler, std::uint32_t max = 256);
    // Readable (an eventfd) when punted frames wait; -1 when not started. The
    // control plane waits on it instead of polling; read it before draining.
    int punt_wakeup_fd() const { return punt_wakeup_fd_; }

    // Control plane: queue a frame for transmission on port `port_index`
    // (configuration order). False when no mbuf or the ring is full.
    bool send_frame(std::uint16_t port_index, const std::uint8_t* frame, std::uint32_t len);

    ForwardTotals forward_totals() const;
    TrafficTotals service_totals(std::uint32_t slot) const;
    TrafficTotals backend_totals(std::uint32_t slot) const;

    // Control plane, `sluicectl conns`: asks every worker for up to `limit`
    // (<= kMaxDump) of its connections matching `filter`. Returns the request's
    // sequence number, or 0 when a worker has not finished an earlier request
    // (its slot is still in use: ask again later).
    std::uint64_t request_conn_dump(const conn::DumpFilter& filter, std::uint32_t limit);
    struct ConnDumpAnswer {
        std::uint32_t lcore = 0;
        bool done = false;  // false: the worker has not answered yet
        std::span<const conn::DumpRecord> records;
        bool truncated = false;
    };
    // Each worker's answer to request `seq` so far.
    std::vector<ConnDumpAnswer> conn_dump_answers(std::uint64_t seq) const;

private:
    bool open_ports(std::string& error);
    void release();

    DataplaneSettings settings_;
    bool eal_ready_ = false;
    bool running_ = false;
    rte_mempool* pool_ = nullptr;
    std::vector<std::uint16_t> port_ids_;  // index i = settings_.ports[i]
    std::vector<std::uint16_t> tap_ids_;   // exception-path TAP of port i, or kNoPort
    std::unique_ptr<QsbrDomain> qsbr_;
    std::unique_ptr<RcuPublished<forward::Snapshot>> snapshot_holder_;
    std::unique_ptr<RcuPublished<forward::NeighbourTable>> neighbours_holder_;
    std::unique_ptr<EventRing> events_;
    std::unique_ptr<TxRing> control_tx_;
    std::unique_ptr<PuntRing> punt_;
    int punt_wakeup_fd_ = -1;
    std::vector<std::unique_ptr<RedirectRing>> redirect_;
    std::vector<RedirectRing*> redirect_ptrs_;
    std::vector<std::unique_ptr<WorkerContext>> workers_;
    std::atomic<bool> stop_flag_{false};
    std::uint64_t dump_seq_ = 0;
};

}  // namespace sluice::dataplane
