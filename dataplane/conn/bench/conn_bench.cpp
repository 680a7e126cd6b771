// ConnTable microbenchmarks: lookup hit/miss (single, dependent, burst) at
// 1k and 1M connections, insert+erase churn, expiry cost.
// Run: meson test -C build --benchmark conn -v   (or build/dataplane/conn/conn_bench)

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "dataplane/conn/conn_table.h"

namespace {

using namespace sluice::dataplane::conn;  // NOLINT(google-build-using-namespace)

constexpr std::uint64_t kNow = 1'000'000;

struct Flow {
    FlowKey forward;
    FlowKey reply;
    ConnInit init;
};

Flow random_flow(std::mt19937_64& rng) {
    const std::uint64_t a = rng();
    const std::uint64_t b = rng();
    Flow f;
    f.forward = FlowKey{static_cast<std::uint32_t>(a), 0xc6120001u, static_cast<std::uint16_t>(b),
                        443, kProtoTcp};
    f.init.backend_ip = static_cast<std::uint32_t>(a >> 32);
    f.init.backend_port = 8443;
    f.init.method = ForwardMethod::nat;
    f.reply = FlowKey{f.init.backend_ip, f.forward.src_ip, f.init.backend_port, f.forward.src_port,
                      kProtoTcp};
    return f;
}

// A NAT-only table (two index entries per connection, the worst case) with
// `count` connections, plus its keys in random order and keys that miss.
struct Fixture {
    std::unique_ptr<ConnTable> table;
    std::vector<FlowKey> hits;
    std::vector<FlowKey> misses;
};

Fixture& fixture(std::uint32_t count) {
    static std::map<std::uint32_t, Fixture> cache;
    auto [it, fresh] = cache.try_emplace(count);
    Fixture& fx = it->second;
    if (!fresh) {
        return fx;
    }
    ConnTableConfig config;
    config.max_connections = count;
    config.seed = 0x9e3779b97f4a7c15ULL;
    fx.table = std::make_unique<ConnTable>(config);
    std::mt19937_64 rng(count);
    while (fx.table->size() < count) {
        const Flow f = random_flow(rng);
        if (fx.table->insert(f.forward, f.reply, f.init, kNow).ok()) {
            fx.hits.push_back(f.forward);
            fx.hits.push_back(f.reply);
        }
    }
    std::shuffle(fx.hits.begin(), fx.hits.end(), rng);
    while (fx.misses.size() < fx.hits.size()) {
        const Flow f = random_flow(rng);
        if (!fx.table->lookup(f.forward)) {
            fx.misses.push_back(f.forward);
        }
    }
    return fx;
}

// items_per_second plus its inverse, time per item (printed with an SI
// prefix: "33.1n" is 33.1 ns), which is what we quote.
void set_items(benchmark::State& state, std::int64_t items) {
    state.SetItemsProcessed(items);
    state.counters["per_item"] = benchmark::Counter(
        static_cast<double>(items), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void report(benchmark::State& state, const ConnTable& t) {
    set_items(state, static_cast<std::int64_t>(state.iterations()));
    state.counters["bytes_per_conn"] =
        static_cast<double>(t.memory_bytes()) / static_cast<double>(t.capacity());
}

// Independent lookups: the CPU overlaps several misses, like a worker
// handling a burst without explicit prefetch.
void lookup_hit(benchmark::State& state) {
    Fixture& fx = fixture(static_cast<std::uint32_t>(state.range(0)));
    std::size_t i = 0;
    for (auto _ : state) {
        const Match m = fx.table->lookup(fx.hits[i]);
        benchmark::DoNotOptimize(m.conn);
        i = i + 1 == fx.hits.size() ? 0 : i + 1;
    }
    report(state, *fx.table);
}

// Each lookup's key depends on the previous result: pure latency.
void lookup_hit_dependent(benchmark::State& state) {
    Fixture& fx = fixture(static_cast<std::uint32_t>(state.range(0)));
    std::size_t i = 0;
    for (auto _ : state) {
        const Match m = fx.table->lookup(fx.hits[i]);
        i += m.conn == nullptr ? 1 : 1 + m.conn->user;  // user is 0, but the compiler cannot know
        if (i >= fx.hits.size()) {
            i = 0;
        }
        benchmark::DoNotOptimize(i);
    }
    report(state, *fx.table);
}

void lookup_miss(benchmark::State& state) {
    Fixture& fx = fixture(static_cast<std::uint32_t>(state.range(0)));
    std::size_t i = 0;
    for (auto _ : state) {
        const Match m = fx.table->lookup(fx.misses[i]);
        benchmark::DoNotOptimize(m.conn);
        i = i + 1 == fx.misses.size() ? 0 : i + 1;
    }
    report(state, *fx.table);
}

// lookup_burst() of 32 keys: two-stage prefetch; items are keys.
void run_lookup_burst(benchmark::State& state, const std::vector<FlowKey>& keys, ConnTable& t) {
    constexpr std::size_t kBurst = 32;
    Match out[kBurst];
    std::size_t i = 0;
    for (auto _ : state) {
        t.lookup_burst(std::span<const FlowKey>(&keys[i], kBurst), out);
        benchmark::DoNotOptimize(out);
        i += kBurst;
        if (i + kBurst > keys.size()) {
            i = 0;
        }
    }
    set_items(state, state.iterations() * static_cast<std::int64_t>(kBurst));
}

void lookup_hit_burst(benchmark::State& state) {
    Fixture& fx = fixture(static_cast<std::uint32_t>(state.range(0)));
    run_lookup_burst(state, fx.hits, *fx.table);
}

void lookup_miss_burst(benchmark::State& state) {
    Fixture& fx = fixture(static_cast<std::uint32_t>(state.range(0)));
    run_lookup_burst(state, fx.misses, *fx.table);
}

// A packet of a known connection: lookup, touch, TCP state (ACK on ESTABLISHED).
void lookup_and_on_packet_burst(benchmark::State& state) {
    Fixture& fx = fixture(static_cast<std::uint32_t>(state.range(0)));
    constexpr std::size_t kBurst = 32;
    Match out[kBurst];
    std::size_t i = 0;
    for (auto _ : state) {
        fx.table->lookup_burst(std::span<const FlowKey>(&fx.hits[i], kBurst), out);
        for (const Match& m : out) {
            fx.table->on_packet(*m.conn, m.direction, kNow, 1500, kTcpAck);
        }
        i += kBurst;
        if (i + kBurst > fx.hits.size()) {
            i = 0;
        }
    }
    set_items(state, state.iterations() * static_cast<std::int64_t>(kBurst));
}

// Steady churn at half capacity: insert a new NAT connection (both keys,
// duplicate check, wheel, counters) and erase the oldest one.
void insert_erase(benchmark::State& state) {
    const auto capacity = static_cast<std::uint32_t>(state.range(0));
    ConnTable t(capacity);
    std::mt19937_64 rng(1);
    std::vector<Flow> flows(std::size_t{capacity} + capacity / 2);
    for (Flow& f : flows) {
        f = random_flow(rng);
    }
    std::vector<ConnHandle> ring(capacity / 2);
    std::size_t next = 0;
    for (ConnHandle& h : ring) {
        const Flow& f = flows[next++];
        h = t.insert(f.forward, f.reply, f.init, kNow).handle;
    }
    std::size_t oldest = 0;
    for (auto _ : state) {
        t.erase(ring[oldest]);
        const Flow& f = flows[next];
        ring[oldest] = t.insert(f.forward, f.reply, f.init, kNow).handle;
        oldest = oldest + 1 == ring.size() ? 0 : oldest + 1;
        next = next + 1 == flows.size() ? 0 : next + 1;
    }
    report(state, t);
}

// Cost per expired connection: `count` UDP connections due in the same
// second, expired by one call with an unlimited budget.
void expire(benchmark::State& state) {
    const auto count = static_cast<std::uint32_t>(state.range(0));
    ConnTable t(count);
    std::mt19937_64 rng(2);
    std::vector<Flow> flows(count);
    for (Flow& f : flows) {
        f = random_flow(rng);
        f.forward.proto = kProtoUdp;
        f.reply.proto = kProtoUdp;
    }
    std::uint64_t now = kNow;
    for (auto _ : state) {
        state.PauseTiming();
        for (const Flow& f : flows) {
            t.insert(f.forward, f.reply, f.init, now);
        }
        now += 300;
        state.ResumeTiming();
        benchmark::DoNotOptimize(t.expire(now, count));
    }
    set_items(state, static_cast<std::int64_t>(state.iterations()) * count);
}

// Cost of the lazy re-arm: connections touched since they were filed are
// refiled, not expired.
void expire_rearm(benchmark::State& state) {
    const auto count = static_cast<std::uint32_t>(state.range(0));
    ConnTable t(count);
    std::mt19937_64 rng(3);
    std::vector<Connection*> conns;
    while (t.size() < count) {
        Flow f = random_flow(rng);
        f.forward.proto = kProtoUdp;
        f.reply.proto = kProtoUdp;
        const InsertResult r = t.insert(f.forward, f.reply, f.init, kNow);
        if (r.ok()) {
            conns.push_back(r.conn);
        }
    }
    std::uint64_t now = kNow;
    for (auto _ : state) {
        state.PauseTiming();
        for (Connection* c : conns) {
            ConnTable::touch(*c, Direction::client_to_server, now + 1, 64);
        }
        now += 1;
        state.ResumeTiming();
        // Due 300 s after the previous filing: every record is refiled once.
        benchmark::DoNotOptimize(t.expire(now + 299, count));
    }
    set_items(state, static_cast<std::int64_t>(state.iterations()) * count);
}

BENCHMARK(lookup_hit)->Arg(1'000)->Arg(1'000'000);
BENCHMARK(lookup_hit_dependent)->Arg(1'000)->Arg(1'000'000);
BENCHMARK(lookup_hit_burst)->Arg(1'000)->Arg(1'000'000);
BENCHMARK(lookup_miss)->Arg(1'000)->Arg(1'000'000);
BENCHMARK(lookup_miss_burst)->Arg(1'000)->Arg(1'000'000);
BENCHMARK(lookup_and_on_packet_burst)->Arg(1'000)->Arg(1'000'000);
BENCHMARK(insert_erase)->Arg(2'000)->Arg(2'000'000);
BENCHMARK(expire)->Arg(1'000)->Arg(100'000);
BENCHMARK(expire_rearm)->Arg(100'000);

}  // namespace

BENCHMARK_MAIN();
