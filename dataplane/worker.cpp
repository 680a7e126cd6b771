#include "dataplane/worker.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

namespace sluice::dataplane {

std::uint32_t poll_once(WorkerContext& ctx) {
    rte_mbuf* pkts[kMaxBurst];
    std::uint32_t got = 0;
    std::uint64_t bytes = 0;
    for (const std::uint16_t port : ctx.ports) {
        const std::uint16_t n = rte_eth_rx_burst(port, ctx.queue, pkts, ctx.burst);
        for (std::uint16_t i = 0; i < n; ++i) {
            bytes += rte_pktmbuf_pkt_len(pkts[i]);
        }
        rte_pktmbuf_free_bulk(pkts, n);
        got += n;
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
    // acquire pairs with the control plane's release store: whatever it wrote
    // before raising the flag is visible when we leave the loop.
    while (!ctx.stop->load(std::memory_order_acquire)) {
        const std::uint32_t got = poll_once(ctx);
        if (const std::uint32_t sleep_us = ctx.backoff.on_poll(got); sleep_us != 0) {
            ctx.stats.sleeps.add(1);
            rte_delay_us_sleep(sleep_us);
        }
    }
    return 0;
}

}  // namespace sluice::dataplane
