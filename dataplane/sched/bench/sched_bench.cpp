// Scheduling microbenchmarks: Maglev table build and update (the paper
// reports 1.8 ms for M = 65537), and the per-connection pick of every
// algorithm. Run: build/dataplane/sched/sched_bench, or meson test --benchmark.

#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "dataplane/sched/maglev.h"
#include "dataplane/sched/persistence.h"
#include "dataplane/sched/service_scheduler.h"

namespace sluice::dataplane::sched {
namespace {

std::vector<std::uint64_t> keys_for(std::size_t n) {
    std::vector<std::uint64_t> keys;
    for (std::size_t i = 0; i < n; ++i) {
        keys.push_back(backend_key(0x0a01'0000u + static_cast<std::uint32_t>(i), 80));
    }
    return keys;
}

void BM_MaglevBuild(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<BackendInfo> backends(n, BackendInfo{1, true});
    const auto keys = keys_for(n);
    for (auto _ : state) {
        auto table = build_maglev(BackendList{backends, keys}, kDefaultMaglevTableSize);
        benchmark::DoNotOptimize(table);
    }
}
BENCHMARK(BM_MaglevBuild)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_MaglevBuildWeighted(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<BackendInfo> backends;
    for (std::size_t i = 0; i < n; ++i) {
        backends.push_back(BackendInfo{static_cast<std::uint32_t>(1 + i % 10), true});
    }
    const auto keys = keys_for(n);
    for (auto _ : state) {
        auto table = build_maglev(BackendList{backends, keys}, kDefaultMaglevTableSize);
        benchmark::DoNotOptimize(table);
    }
}
BENCHMARK(BM_MaglevBuildWeighted)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// One backend goes down: update_maglev against the previous table.
void BM_MaglevUpdateOneDown(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<BackendInfo> before(n, BackendInfo{1, true});
    std::vector<BackendInfo> after = before;
    after[n / 2].available = false;
    const auto keys = keys_for(n);
    const MaglevTable previous = build_maglev(BackendList{before, keys}).value();
    for (auto _ : state) {
        auto update = update_maglev(previous, BackendList{before, keys}, BackendList{after, keys});
        benchmark::DoNotOptimize(update);
    }
}
BENCHMARK(BM_MaglevUpdateOneDown)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// One backend added: every other one gives up a few slots.
void BM_MaglevUpdateOneAdded(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<BackendInfo> after(n, BackendInfo{1, true});
    std::vector<BackendInfo> before = after;
    before[n / 2].available = false;
    const auto keys = keys_for(n);
    const MaglevTable previous = build_maglev(BackendList{before, keys}).value();
    for (auto _ : state) {
        auto update = update_maglev(previous, BackendList{before, keys}, BackendList{after, keys});
        benchmark::DoNotOptimize(update);
    }
}
BENCHMARK(BM_MaglevUpdateOneAdded)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// Picks for many distinct flows (4096 prebuilt), with per-worker counts for
// lc/wlc that follow the picks, as a worker's connection table would.
void BM_Pick(benchmark::State& state, Algorithm algorithm) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<BackendInfo> backends;
    for (std::size_t i = 0; i < n; ++i) {
        backends.push_back(BackendInfo{static_cast<std::uint32_t>(1 + i % 4), true});
    }
    const auto keys = keys_for(n);
    const ServiceScheduler s = ServiceScheduler::build(algorithm, backends, keys).value();
    std::mt19937 rng(1);
    std::vector<FlowKey> flows(4096);
    for (auto& f : flows) {
        f = FlowKey{static_cast<std::uint32_t>(rng()), 0xc612'0001,
                    static_cast<std::uint16_t>(rng()), 80, 6};
    }
    std::vector<std::uint32_t> active(n);
    std::vector<std::uint32_t> inactive(n);
    SchedulerState sched_state;
    PickContext ctx{sched_state, active, inactive};
    std::size_t i = 0;
    for (auto _ : state) {
        const std::uint32_t b = s.pick(ctx, flows[i++ & 4095]);
        ++active[b];
        benchmark::DoNotOptimize(b);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Pick, rr, Algorithm::kRoundRobin)->Arg(8)->Arg(100)->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, wrr, Algorithm::kWeightedRoundRobin)->Arg(8)->Arg(100)->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, lc, Algorithm::kLeastConnection)->Arg(8)->Arg(100)->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, wlc, Algorithm::kWeightedLeastConnection)->Arg(8)->Arg(100)->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, sh, Algorithm::kSourceHash)->Arg(8)->Arg(100)->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, mh, Algorithm::kMaglev)->Arg(8)->Arg(100)->Arg(1000);

// Persistence: a hit on a table at a quarter of its capacity.
void BM_PersistenceLookup(benchmark::State& state) {
    const std::vector<BackendInfo> backends(16, BackendInfo{1, true});
    PersistenceTable table(1u << 16);
    std::vector<PersistenceKey> keys(1u << 14);
    std::mt19937 rng(2);
    for (auto& k : keys) {
        k = PersistenceKey{0, static_cast<std::uint32_t>(rng())};
        (void)table.insert(k, k.client_net % 16, 0, 300);
    }
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(table.lookup(keys[i++ & (keys.size() - 1)], 1, backends));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PersistenceLookup);

}  // namespace
}  // namespace sluice::dataplane::sched

BENCHMARK_MAIN();
