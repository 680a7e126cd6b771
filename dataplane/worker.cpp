#include "dataplane/worker.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dataplane/forward/steering.h"
#include "dataplane/packet/headers.h"

namespace sluice::dataplane {
namespace {

constexpr std::uint32_t kExpireBudget = 64;  // connections expired per loop, at most

void flush_tx(WorkerContext& ctx, std::size_t port_index) {
    const std::uint16_t n = ctx.tx_count[port_index];
    if (n == 0) {
        return;
    }
    auto& buf = ctx.tx[port_index];
    const std::uint16_t sent = rte_eth_tx_burst(ctx.tx_ids[port_index], ctx.queue, buf.data(), n);
    if (sent < n) {
        rte_pktmbuf_free_bulk(buf.data() + sent, static_cast<unsigned>(n - sent));
        ctx.pipeline.counters().drops[static_cast<std::size_t>(forward::DropReason::tx_full)].add(n - sent);
    }
    ctx.stats.tx_packets.add(sent);
    ctx.tx_count[port_index] = 0;
}

void flush_all(WorkerContext& ctx) {
    for (std::size_t o = 0; o < ctx.ports.size(); ++o) {
        flush_tx(ctx, o);
        flush_tx(ctx, kMaxPorts + o);
    }
}

void queue_tx(WorkerContext& ctx, std::size_t port_index, rte_mbuf* m) {
    if (ctx.tx_count[port_index] == kMaxBurst) {
        flush_tx(ctx, port_index);
    }
    ctx.tx[port_index][ctx.tx_count[port_index]++] = m;
}

// Frames the control plane asked us to send (ARP requests, VRRP adverts and
// gratuitous ARPs). One the port's TX queue refuses (full under load) waits
// for the next poll instead of being lost: a missed advert is a spurious
// failover. Only when that backlog is full is a frame dropped (counted tx_full).
void drain_control_tx(WorkerContext& ctx) {
    std::uint32_t kept = 0;
    for (std::uint32_t i = 0; i < ctx.control_backlog_count; ++i) {
        rte_mbuf* m = ctx.control_backlog[i];
        if (rte_eth_tx_burst(m->port, ctx.queue, &m, 1) == 0) {
            ctx.control_backlog[kept++] = m;
        }
    }
    ctx.control_backlog_count = kept;
    rte_mbuf* pkts[kMaxBurst];
    const std::uint32_t n = ctx.tx_ring->pop(pkts, kMaxBurst);
    for (std::uint32_t i = 0; i < n; ++i) {
        if (ctx.control_backlog_count == 0 && rte_eth_tx_burst(pkts[i]->port, ctx.queue, &pkts[i], 1) != 0) {
            continue;
        }
        if (ctx.control_backlog_count < ctx.control_backlog.size()) {
            ctx.control_backlog[ctx.control_backlog_count++] = pkts[i];  // keeps the control plane's order
        } else {
            ctx.pipeline.counters().drop(forward::DropReason::tx_full);
            rte_pktmbuf_free(pkts[i]);
        }
    }
}

// Index of DPDK port `port_id` among this worker's ports (<= kMaxPorts).
std::size_t port_index_of(const WorkerContext& ctx, std::uint16_t port_id) {
    for (std::size_t i = 0; i < ctx.ports.size(); ++i) {
        if (ctx.ports[i] == port_id) {
            return i;
        }
    }
    return ctx.ports.size();
}

void set_l2(rte_mbuf* m, const packet::MacAddr& dst, const packet::MacAddr& src) {
    const packet::EtherView<std::uint8_t> eth(rte_pktmbuf_mtod(m, std::uint8_t*));
    eth.set_dst(dst);
    eth.set_src(src);
}

void hold(WorkerContext& ctx, rte_mbuf* m, const forward::Verdict& v, std::uint64_t now_s) {
    if (ctx.pending_count == kPendingMax) {
        ctx.pipeline.counters().drop(forward::DropReason::unresolved_neighbour);
        rte_pktmbuf_free(m);
        return;
    }
    ctx.pending[ctx.pending_count++] = PendingPacket{m, v.next_hop, v.out_port, now_s};
}

// Sends parked packets whose next hop is now known, drops those that waited
// too long. Runs only when the neighbour table changed or a second passed, so
// an idle queue costs one comparison per loop.
void retry_pending(WorkerContext& ctx, const forward::Snapshot& snapshot,
                   const forward::NeighbourTable& neighbours, std::uint64_t now_s) {
    if (ctx.pending_count == 0 || (ctx.pending_checked == &neighbours && ctx.pending_checked_s == now_s)) {
        return;
    }
    ctx.pending_checked = &neighbours;
    ctx.pending_checked_s = now_s;
    std::uint32_t kept = 0;
    for (std::uint32_t i = 0; i < ctx.pending_count; ++i) {
        PendingPacket& p = ctx.pending[i];
        const packet::MacAddr* mac = neighbours.find(p.next_hop);
        if (mac != nullptr && p.out_port < snapshot.ports.size() && p.out_port < ctx.ports.size()) {
            set_l2(p.m, *mac, snapshot.ports[p.out_port].mac);
            ctx.pipeline.counters().forwarded.add(1);
            queue_tx(ctx, p.out_port, p.m);
        } else if (now_s - p.since_s > kPendingWaitS) {
            ctx.pipeline.counters().drop(forward::DropReason::unresolved_neighbour);
            rte_pktmbuf_free(p.m);
        } else {
            ctx.pending[kept++] = p;
        }
    }
    ctx.pending_count = kept;
    flush_all(ctx);
}

// Runs a burst through the pipeline, then queues each packet for TX or frees it.
void handle_burst(WorkerContext& ctx, rte_mbuf** pkts, const std::size_t* port_index, std::uint32_t n,
                  const forward::Snapshot& snapshot, const forward::NeighbourTable& neighbours,
                  std::uint64_t now_s) {
    forward::Frame frames[kMaxBurst];
    forward::Verdict verdicts[kMaxBurst];
    rte_mbuf* kept[kMaxBurst];
    std::uint32_t k = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        rte_mbuf* m = pkts[i];
        if (m->nb_segs != 1 || port_index[i] >= ctx.ports.size()) {
            ctx.pipeline.counters().drop(forward::DropReason::multi_segment);
            rte_pktmbuf_free(m);
            continue;
        }
        frames[k] = forward::Frame{rte_pktmbuf_mtod(m, std::uint8_t*), rte_pktmbuf_data_len(m),
                                   rte_pktmbuf_headroom(m), static_cast<std::uint16_t>(port_index[i]),
                                   rte_pktmbuf_tailroom(m)};
        kept[k++] = m;
    }
    ctx.pipeline.process_burst(frames, verdicts, k, snapshot, neighbours, now_s);
    for (std::uint32_t i = 0; i < k; ++i) {
        rte_mbuf* m = kept[i];
        const forward::Verdict& v = verdicts[i];
        if (v.action == forward::Action::punt) {
            m->port = ctx.ports[frames[i].in_port];
            if (ctx.shared.punt != nullptr && ctx.shared.punt->push(m)) {
                ctx.pipeline.counters().punted.add(1);
                // Wake the control plane only on the empty -> non-empty edge: one
                // eventfd write per advert normally, none more under a flood.
                if (ctx.shared.punt_wakeup_fd >= 0 && ctx.shared.punt->count() == 1) {
                    const std::uint64_t one = 1;
                    [[maybe_unused]] const auto w = ::write(ctx.shared.punt_wakeup_fd, &one, sizeof one);
                }
            } else {
                ctx.pipeline.counters().drop(forward::DropReason::punt_full);
                rte_pktmbuf_free(m);
            }
            continue;
        }
        if (v.action == forward::Action::to_host) {
            const std::size_t in = frames[i].in_port;
            if (in < ctx.taps.size() && ctx.taps[in] != kNoPort) {
                ctx.pipeline.counters().to_host.add(1);
                queue_tx(ctx, kMaxPorts + in, m);
            } else {
                if (v.reason != forward::DropReason::count_) {
                    ctx.pipeline.counters().drop(v.reason);
                }
                rte_pktmbuf_free(m);
            }
            continue;
        }
        const bool sendable = v.action == forward::Action::transmit || v.action == forward::Action::hold;
        if (!sendable || v.out_port >= ctx.ports.size()) {
            rte_pktmbuf_free(m);
            continue;
        }
        if (v.prepended != 0) {
            rte_pktmbuf_prepend(m, static_cast<std::uint16_t>(v.prepended));
        }
        m->data_len = static_cast<std::uint16_t>(v.len);
        m->pkt_len = v.len;
        if (v.action == forward::Action::hold) {
            hold(ctx, m, v, now_s);
        } else {
            queue_tx(ctx, v.out_port, m);
        }
    }
}

// A pending `sluicectl conns` request: one slice of the table per poll.
void serve_dump(WorkerContext& ctx, std::uint64_t requested, std::uint64_t now_s) {
    ConnDumpSlot& d = ctx.dump;
    if (d.serving != requested) {
        // Pairs with the control plane's release store of `requested`.
        std::atomic_thread_fence(std::memory_order_acquire);
        d.serving = requested;
        d.progress = conn::DumpProgress{};
    }
    conn::dump_step(ctx.pipeline.connections(), d.filter,
                    std::span<conn::DumpRecord>(d.records.data(), std::min(d.limit, kMaxDump)), d.progress,
                    now_s, kDumpBudget);
    if (d.progress.finished) {
        d.count = d.progress.count;
        d.truncated = d.progress.truncated;
        d.completed.store(requested, std::memory_order_release);
    }
}

}  // namespace

std::uint32_t poll_once(WorkerContext& ctx) {
    rte_mbuf* pkts[kMaxBurst];
    const forward::Snapshot* snapshot = ctx.shared.snapshot->load();
    const forward::NeighbourTable* neighbours = ctx.shared.neighbours->load();
    if (snapshot == nullptr || neighbours == nullptr) {
        // Not configured yet: leave packets in the NIC rings rather than drop them.
        ctx.stats.polls.add(1);
        ctx.stats.idle_polls.add(1);
        return 0;
    }
    if (snapshot->generation != ctx.seen_generation) {
        if (snapshot->services_generation != ctx.seen_services_generation || ctx.seen_generation == 0) {
            ctx.pipeline.adopt(*snapshot);
            ctx.seen_services_generation = snapshot->services_generation;
        }
        ctx.seen_generation = snapshot->generation;
    }
    const std::uint64_t now_s = rte_get_tsc_cycles() / rte_get_tsc_hz();
    auto& counters = ctx.pipeline.counters();
    const std::uint32_t workers = ctx.shared.workers;

    std::uint32_t got = 0;
    std::uint64_t bytes = 0;
    rte_mbuf* mine[kMaxBurst];
    std::size_t mine_port[kMaxBurst];
    for (std::size_t p = 0; p < ctx.ports.size(); ++p) {
        const std::uint16_t n = rte_eth_rx_burst(ctx.ports[p], ctx.queue, pkts, ctx.burst);
        got += n;
        std::uint32_t keep = 0;
        for (std::uint16_t i = 0; i < n; ++i) {
            rte_mbuf* m = pkts[i];
            bytes += rte_pktmbuf_pkt_len(m);
            if (workers > 1) {
                const auto owner = forward::owning_worker(rte_pktmbuf_mtod(m, const std::uint8_t*),
                                                          rte_pktmbuf_data_len(m), *snapshot, workers);
                if (owner && *owner != ctx.queue) {
                    m->port = ctx.ports[p];
                    if (ctx.shared.redirect[*owner]->push(m)) {
                        counters.redirected.add(1);
                    } else {
                        counters.drop(forward::DropReason::redirect_full);
                        rte_pktmbuf_free(m);
                    }
                    continue;
                }
            }
            mine[keep] = m;
            mine_port[keep++] = p;
        }
        handle_burst(ctx, mine, mine_port, keep, *snapshot, *neighbours, now_s);
        flush_all(ctx);
    }
    // What the kernel sends through a port's exception path leaves by that port
    // as it is: the kernel resolved its own next hop.
    for (std::size_t p = 0; p < ctx.taps.size(); ++p) {
        if (ctx.taps[p] == kNoPort) {
            continue;
        }
        const std::uint16_t n = rte_eth_rx_burst(ctx.taps[p], ctx.queue, pkts, ctx.burst);
        got += n;
        for (std::uint16_t i = 0; i < n; ++i) {
            queue_tx(ctx, p, pkts[i]);
        }
        counters.from_host.add(n);
        flush_tx(ctx, p);
    }
    if (workers > 1) {
        // Packets of our connections that arrived on another worker's queue.
        const std::uint32_t n = ctx.shared.redirect[ctx.queue]->pop(pkts, ctx.burst);
        got += n;
        for (std::uint32_t i = 0; i < n; ++i) {
            mine_port[i] = port_index_of(ctx, pkts[i]->port);
        }
        handle_burst(ctx, pkts, mine_port, n, *snapshot, *neighbours, now_s);
        flush_all(ctx);
    }
    retry_pending(ctx, *snapshot, *neighbours, now_s);
    if (ctx.tx_ring != nullptr) {
        drain_control_tx(ctx);
    }
    if (const std::uint32_t e = ctx.pipeline.event_count(); e != 0) {
        const std::uint32_t pushed = ctx.shared.events->push(ctx.pipeline.events(), e);
        if (pushed < e) {
            counters.drops[static_cast<std::size_t>(forward::DropReason::event_ring_full)].add(e - pushed);
        }
        ctx.pipeline.clear_events();
    }
    ctx.pipeline.expire(now_s, kExpireBudget);
    if (const auto req = ctx.dump.requested.load(std::memory_order_relaxed);
        req != ctx.dump.completed.load(std::memory_order_relaxed)) {
        serve_dump(ctx, req, now_s);
    }

    ctx.stats.polls.add(1);
    if (got != 0) {
        ctx.stats.rx_packets.add(got);
        ctx.stats.rx_bytes.add(bytes);
    } else {
        ctx.stats.idle_polls.add(1);
    }
    return got;
}

int worker_main(void* arg) {
    auto& ctx = *static_cast<WorkerContext*>(arg);
    QsbrDomain& qsbr = *ctx.shared.qsbr;
    qsbr.online(ctx.queue);
    // acquire pairs with the control plane's release store: whatever it wrote
    // before raising the flag is visible when we leave the loop.
    while (!ctx.shared.stop->load(std::memory_order_acquire)) {
        const std::uint32_t got = poll_once(ctx);
        // Nothing from this iteration is referenced any more: the control plane
        // may free snapshots retired before this point.
        qsbr.quiescent(ctx.queue);
        if (const std::uint32_t sleep_us = ctx.backoff.on_poll(got); sleep_us != 0) {
            ctx.stats.sleeps.add(1);
            // Offline while asleep, so a sleeping worker never delays a grace period.
            qsbr.offline(ctx.queue);
            rte_delay_us_sleep(sleep_us);
            qsbr.online(ctx.queue);
        }
    }
    qsbr.offline(ctx.queue);
    return 0;
}

}  // namespace sluice::dataplane
