// The worker loop on a net_null port: the per-packet cost of DPDK RX, the
// pipeline's parse stage and mbuf free, the floor every forwarding stage adds to.
// Runs without hugepages so it works anywhere.
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "dataplane/eal_session.h"
#include "dataplane/port.h"
#include "dataplane/worker.h"

namespace {

using namespace sluice::dataplane;

void worker_poll_null(benchmark::State& state, std::uint16_t port) {
    // net_null frames are all zeros: each one is parsed and dropped as
    // not_ip, so this measures RX + the pipeline's first stage + free.
    const std::atomic<bool> stop{false};
    QsbrDomain qsbr(1);
    RcuPublished<forward::Snapshot> snapshot(qsbr);
    RcuPublished<forward::NeighbourTable> neighbours(qsbr);
    snapshot.publish(std::make_unique<forward::Snapshot>());
    neighbours.publish(std::make_unique<forward::NeighbourTable>());
    EventRing events("bench_events", 1024);
    const WorkerShared shared{&snapshot, &neighbours, &qsbr, &events, &stop};
    forward::PipelineConfig pipeline_config;
    pipeline_config.max_connections = 1024;
    WorkerContext ctx(0, 0, {port}, {kNoPort}, static_cast<std::uint16_t>(state.range(0)), IdleBackoff(false, 1), shared,
                      pipeline_config, nullptr);
    std::uint64_t packets = 0;
    for (auto _ : state) {
        packets += poll_once(ctx);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(packets));
    state.counters["ns/pkt"] = benchmark::Counter(static_cast<double>(packets),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> eal = {"worker_rx_bench", "--no-huge", "-m", "256", "--no-shconf", "--no-telemetry",
                                    "--no-pci", "--vdev", "net_null0,size=64", "-l", "0",
                                    "--log-level=warning", "--file-prefix",
                                    "sluice-bench-" + std::to_string(getpid())};
    std::string error;
    if (!eal_init(eal, error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    rte_mempool* pool = rte_pktmbuf_pool_create("bench", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
    std::uint16_t port = 0;
    if (pool == nullptr || rte_eth_dev_get_port_by_name("net_null0", &port) != 0 ||
        !start_port(port, PortQueueSetup{1, 1024, 1024}, pool, error)) {
        std::fprintf(stderr, "cannot set up net_null0: %s\n", error.c_str());
        return 1;
    }
    benchmark::RegisterBenchmark("worker_poll_null/burst", worker_poll_null, port)
        ->Arg(1)->Arg(8)->Arg(32);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    close_port(port);
    rte_mempool_free(pool);
    eal_cleanup();
    return 0;
}
