// The whole per-packet forwarding pipeline (forward::Pipeline::process) on
// prebuilt frames: no EAL, no mbufs, no I/O. What a worker does between
// rte_eth_rx_burst and rte_eth_tx_burst, on one core, in bursts of 32.
//
// Every packet is restored from a pristine copy first (the pipeline rewrites
// in place): 64 bytes memcpy'd into a working buffer behind 64 bytes of
// headroom. memcpy_baseline/* measures exactly that copy loop, so the net
// pipeline cost is pipeline minus baseline.
//
// Traffic (one NAT TCP service, rr over 4 backends, clients behind a gateway,
// 60-byte frames = 64 on the wire):
//   established_fwd/flows:N    ACKs client -> VIP over N established connections
//   established_reply/flows:N  ACKs backend -> client (reply-key lookups, source NAT)
//   new_conn/live:N            100% SYNs from fresh (ip, port)s; the clock ticks and
//                              expire() runs per burst as in the worker, so the table
//                              holds a steady ~N half-open connections (SYN_RECV, 60 s)
//   mixed_90_10/flows:1M       90% ACKs over 1M established connections, 10% new SYNs
// Established flows are visited in a fixed pseudo-random permutation of the
// order they were inserted in, so at 1M connections (a ~250 MB table against a
// 32 MB L3) the conn-table lookups miss cache the way real traffic does; the
// pristine frames are stored in visiting order (read sequentially, as an RX ring).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "dataplane/forward/pipeline.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace {

using namespace sluice::dataplane;
namespace pt = packet::test;
namespace common = sluice::common;
using forward::Action;
using forward::Frame;
using forward::Verdict;

constexpr std::uint32_t kBurst = 32;          // as a worker's RX burst
constexpr std::uint32_t kHeadroom = 64;       // writable bytes before the frame (an mbuf has 128)
constexpr std::uint32_t kSlot = 64;           // pristine frame stride; frames are 60 bytes
constexpr std::uint32_t kWorkStride = kHeadroom + kSlot;
constexpr std::uint32_t kFrameLen = 60;       // minimum Ethernet frame without FCS
constexpr std::uint32_t kExpireBudget = 64;   // as dataplane/worker.cpp
constexpr std::uint32_t kSynRecvTimeout = 60; // conn::kDefaultTimeouts SYN_RECV
constexpr std::uint64_t kStartTime = 1000;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kAck = 0x10;

constexpr std::uint32_t ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

constexpr std::uint32_t kVip = ip(198, 18, 0, 100);
constexpr std::uint32_t kGateway = ip(198, 18, 0, 1);  // clients (10/8) are behind it
constexpr std::uint16_t kVipPort = 80;
constexpr std::uint32_t kBackends = 4;                 // 198.18.1.11.. :8080, on link on port 1
const packet::MacAddr kFrontMac{{0x02, 0x53, 0x4c, 0x01, 0x00, 0x02}};
const packet::MacAddr kBackMac{{0x02, 0x53, 0x4c, 0x01, 0x01, 0x02}};
const packet::MacAddr kGatewayMac{{0x02, 0, 0, 0, 0, 0x01}};

std::uint32_t backend_ip(std::uint32_t i) { return ip(198, 18, 1, static_cast<std::uint8_t>(11 + i)); }

// Flow id -> client endpoint: 64 source ports per client address in 10/8.
std::uint32_t client_ip(std::uint32_t id) { return ip(10, 0, 0, 0) + 1 + (id >> 6); }
std::uint16_t client_port(std::uint32_t id) { return static_cast<std::uint16_t>(1024 + (id & 63) * 911); }

std::unique_ptr<forward::Snapshot> make_snapshot() {
    auto s = std::make_unique<forward::Snapshot>();
    s->generation = 1;
    s->ports.push_back({0, kFrontMac, {{common::Ipv4Addr{ip(198, 18, 0, 2)}, 24}},
                        common::Ipv4Addr{kGateway}, 1500});
    s->ports.push_back({1, kBackMac, {{common::Ipv4Addr{ip(198, 18, 1, 2)}, 24}}, std::nullopt, 1500});
    forward::ServiceView svc;
    svc.vip = common::Ipv4Addr{kVip};
    svc.port = kVipPort;
    svc.proto = 6;
    svc.method = conn::ForwardMethod::nat;
    svc.in_port = 0;
    std::vector<sched::BackendInfo> infos;
    for (std::uint32_t i = 0; i < kBackends; ++i) {
        svc.backends.push_back({common::Ipv4Addr{backend_ip(i)}, 8080, 1, 1, common::Ipv4Addr{backend_ip(i)}, i});
        infos.push_back({1, true});
    }
    auto built = sched::ServiceScheduler::build(sched::Algorithm::kRoundRobin, infos, {});
    if (!built) {
        std::fprintf(stderr, "scheduler build failed\n");
        std::abort();
    }
    svc.scheduler = std::move(built).value();
    s->services.push_back(std::move(svc));
    s->owned_vips = {kVip};
    s->timeouts = {conn::kDefaultTimeouts};
    s->finalize();
    return s;
}

forward::NeighbourTable make_neighbours() {
    std::vector<std::pair<std::uint32_t, packet::MacAddr>> e{{kGateway, kGatewayMac}};
    for (std::uint32_t i = 0; i < kBackends; ++i) {
        e.push_back({backend_ip(i), packet::MacAddr{{0x02, 0, 0, 0, 1, static_cast<std::uint8_t>(0x11 + i)}}});
    }
    return forward::NeighbourTable(std::move(e));
}

pt::Bytes tcp_frame(std::uint32_t src, std::uint16_t sport, std::uint32_t dst, std::uint16_t dport,
                    std::uint8_t flags) {
    pt::PacketSpec s;
    s.src = common::Ipv4Addr{src};
    s.dst = common::Ipv4Addr{dst};
    s.src_port = sport;
    s.dst_port = dport;
    s.tcp_flags = flags;
    s.pad_to = kFrameLen;
    return pt::build_frame(s);
}

// Frames back to back at kSlot stride, each copied whole (64 bytes, a
// constant-size memcpy) and given its own length.
struct FrameStore {
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> lens;
    std::uint16_t in_port = 0;

    void add(const pt::Bytes& f) {
        if (f.size() > kSlot) {
            std::abort();
        }
        bytes.insert(bytes.end(), f.begin(), f.end());
        bytes.resize(bytes.size() + (kSlot - f.size()), 0);
        lens.push_back(static_cast<std::uint8_t>(f.size()));
    }
    std::size_t size() const { return lens.size(); }
    const std::uint8_t* at(std::size_t i) const { return bytes.data() + i * kSlot; }
};

struct Fixture {
    std::unique_ptr<forward::Snapshot> snap = make_snapshot();
    forward::NeighbourTable nb = make_neighbours();
    std::unique_ptr<forward::Pipeline> pipe;
    FrameStore fwd;  // established client -> VIP ACKs, in visiting order
    FrameStore rep;  // established backend -> client ACKs, in visiting order
    FrameStore syn;  // fresh SYNs, each reused only after its connection expired
    std::size_t fwd_pos = 0;
    std::size_t rep_pos = 0;
    std::size_t syn_pos = 0;
    std::uint64_t seq = 0;                 // packets issued (the 90/10 pattern)
    std::uint64_t now = kStartTime;
    std::uint32_t bursts_per_second = 0;  // 0: the clock stands still
    std::uint32_t burst_in_second = 0;
    alignas(64) std::uint8_t work[kBurst * kWorkStride] = {};

    explicit Fixture(std::uint32_t capacity) {
        forward::PipelineConfig cfg;
        cfg.max_connections = capacity;
        pipe = std::make_unique<forward::Pipeline>(cfg);
        pipe->adopt(*snap);
        fwd.in_port = 0;
        rep.in_port = 1;
        syn.in_port = 0;
    }

    // Processes one frame outside the measurement; returns the rewritten bytes.
    std::uint8_t* setup_process(const pt::Bytes& b, std::uint16_t port) {
        std::memcpy(work + kHeadroom, b.data(), b.size());
        Frame f{work + kHeadroom, static_cast<std::uint32_t>(b.size()), kHeadroom, port};
        const Verdict v = pipe->process(f, *snap, nb, now);
        if (v.action != Action::transmit) {
            std::fprintf(stderr, "setup packet dropped: %s\n",
                         std::string(forward::drop_reason_name(v.reason)).c_str());
            std::abort();
        }
        return f.data;
    }

    // N established connections (SYN then ACK each, in id order), and their
    // forward and reply ACKs stored in one pseudo-random permutation of that order.
    void establish(std::uint32_t n) {
        std::vector<std::uint32_t> be_ip(n);
        std::vector<std::uint16_t> be_port(n);
        for (std::uint32_t id = 0; id < n; ++id) {
            const std::uint8_t* out = setup_process(tcp_frame(client_ip(id), client_port(id), kVip, kVipPort, kSyn), 0);
            be_ip[id] = (std::uint32_t{out[30]} << 24) | (std::uint32_t{out[31]} << 16) |
                        (std::uint32_t{out[32]} << 8) | out[33];
            be_port[id] = static_cast<std::uint16_t>((out[36] << 8) | out[37]);
            setup_process(tcp_frame(client_ip(id), client_port(id), kVip, kVipPort, kAck), 0);  // -> ESTABLISHED
        }
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0u);
        std::mt19937_64 rng(42);
        std::shuffle(order.begin(), order.end(), rng);
        fwd.bytes.reserve(std::size_t{n} * kSlot);
        rep.bytes.reserve(std::size_t{n} * kSlot);
        for (const std::uint32_t id : order) {
            fwd.add(tcp_frame(client_ip(id), client_port(id), kVip, kVipPort, kAck));
            rep.add(tcp_frame(be_ip[id], be_port[id], client_ip(id), client_port(id), kAck));
        }
    }

    // A pool of `n` SYNs from fresh clients (ids first_id..).
    void add_syns(std::uint32_t first_id, std::uint32_t n) {
        syn.bytes.reserve(std::size_t{n} * kSlot);
        for (std::uint32_t id = first_id; id < first_id + n; ++id) {
            syn.add(tcp_frame(client_ip(id), client_port(id), kVip, kVipPort, kSyn));
        }
    }

    const std::uint8_t* next(FrameStore& s, std::size_t& pos, std::uint32_t& len) {
        const std::uint8_t* p = s.at(pos);
        len = s.lens[pos];
        if (++pos == s.size()) {
            pos = 0;
        }
        return p;
    }

    // One worker loop: restore a burst of frames, process them, expire, tick.
    // `pick(i, len, port)` chooses the i-th frame. Returns frames transmitted.
    template <bool kProcess, class Pick>
    std::uint32_t burst(Pick&& pick) {
        std::uint32_t lens[kBurst];
        std::uint16_t ports[kBurst];
        for (std::uint32_t i = 0; i < kBurst; ++i) {
            std::memcpy(work + i * kWorkStride + kHeadroom, pick(i, lens[i], ports[i]), kSlot);
        }
        std::uint32_t sent = 0;
        if constexpr (kProcess) {
            // As a worker does: the whole burst at once (parse, prefetch, process).
            Frame frames[kBurst];
            Verdict verdicts[kBurst];
            for (std::uint32_t i = 0; i < kBurst; ++i) {
                frames[i] = Frame{work + i * kWorkStride + kHeadroom, lens[i], kHeadroom, ports[i]};
            }
            pipe->process_burst(frames, verdicts, kBurst, *snap, nb, now);
            for (std::uint32_t i = 0; i < kBurst; ++i) {
                sent += verdicts[i].action == Action::transmit ? 1u : 0u;
            }
            pipe->expire(now, kExpireBudget);
            if (bursts_per_second != 0 && ++burst_in_second == bursts_per_second) {
                burst_in_second = 0;
                ++now;
            }
        } else {
            benchmark::DoNotOptimize(work);
            benchmark::ClobberMemory();
            sent = kBurst;
        }
        return sent;
    }

    std::uint32_t established_burst(FrameStore& s, std::size_t& pos, bool process) {
        auto pick = [&](std::uint32_t, std::uint32_t& len, std::uint16_t& port) {
            port = s.in_port;
            return next(s, pos, len);
        };
        return process ? burst<true>(pick) : burst<false>(pick);
    }
    std::uint32_t syn_burst() {
        return burst<true>([&](std::uint32_t, std::uint32_t& len, std::uint16_t& port) {
            port = syn.in_port;
            return next(syn, syn_pos, len);
        });
    }
    // 1 packet in 10 is a SYN of a new connection, the rest established ACKs.
    std::uint32_t mixed_burst() {
        return burst<true>([&](std::uint32_t, std::uint32_t& len, std::uint16_t& port) {
            port = 0;
            return ++seq % 10 == 0 ? next(syn, syn_pos, len) : next(fwd, fwd_pos, len);
        });
    }
    std::uint64_t connections_created() const { return pipe->counters().services[0].connections.get(); }
};

// One fixture alive at a time (the 1M ones hold hundreds of MB); benchmarks
// sharing a key (and repetitions) reuse it, so its state carries on.
std::unique_ptr<Fixture> g_fixture;
std::string g_key;

Fixture& fixture(const std::string& key, const std::function<std::unique_ptr<Fixture>()>& make) {
    if (g_key != key) {
        g_fixture.reset();
        g_fixture = make();
        g_key = key;
    }
    return *g_fixture;
}

std::uint32_t round_up_pow2(std::uint32_t v) {
    std::uint32_t p = 1;
    while (p < v) {
        p <<= 1;
    }
    return p;
}

Fixture& established_fixture(std::uint32_t flows) {
    return fixture("est" + std::to_string(flows), [flows] {
        // Capacity twice the flows (2M for 1M), as a deployment would size it.
        auto f = std::make_unique<Fixture>(std::max(round_up_pow2(flows) * 2, 1024u));
        f->establish(flows);
        return f;
    });
}

// The clock ticks once every `bps` bursts so that SYN_RECV connections (60 s)
// expire at the rate they are made and about `live` stay in the table.
// The SYN pool is 1.5x what lives at once: a key comes round again ~90
// ticks after its last use, long after its connection expired.
Fixture& new_conn_fixture(std::uint32_t live) {
    return fixture("new" + std::to_string(live), [live] {
        const std::uint32_t bps = std::max(1u, live / (kSynRecvTimeout * kBurst));
        const std::uint32_t live_max = (kSynRecvTimeout + 1) * bps * kBurst;
        auto f = std::make_unique<Fixture>(round_up_pow2(live_max + live_max / 2));
        f->bursts_per_second = bps;
        f->add_syns(0, live_max + live_max / 2);
        // Warm up to steady state: one lap of the pool fills the table and
        // starts expiry; only then are the pool's keys reused.
        const std::size_t bursts = f->syn.size() / kBurst + 1;
        for (std::size_t i = 0; i < bursts; ++i) {
            f->syn_burst();
        }
        return f;
    });
}

// 1M established flows; 10% of packets open new connections, ~100k of which
// live at once (SYN_RECV). Established flows are touched every ~70 s of
// clock, far inside their 900 s timeout.
Fixture& mixed_fixture(std::uint32_t flows, std::uint32_t new_live) {
    return fixture("mix" + std::to_string(flows), [flows, new_live] {
        const std::uint32_t new_per_second = std::max(1u, new_live / kSynRecvTimeout);
        const std::uint32_t bps = std::max(1u, new_per_second * 10 / kBurst);
        const std::uint32_t pool = (kSynRecvTimeout + 1) * (bps * kBurst / 10 + 1) * 3 / 2;
        auto f = std::make_unique<Fixture>(round_up_pow2((flows + pool) * 3 / 2));
        f->establish(flows);
        f->add_syns(flows, pool);
        f->bursts_per_second = bps;
        const std::size_t bursts = std::size_t{pool} * 10 / kBurst + 1;
        for (std::size_t i = 0; i < bursts; ++i) {
            f->mixed_burst();
        }
        return f;
    });
}

void report(benchmark::State& state, Fixture& f, std::uint64_t packets, std::uint64_t sent) {
    state.SetItemsProcessed(static_cast<std::int64_t>(packets));
    state.counters["ns/pkt"] = benchmark::Counter(static_cast<double>(packets),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["conns"] = static_cast<double>(f.pipe->connections().size());
    if (sent != packets) {
        state.SkipWithError("packets dropped: the traffic or the fixture is wrong");
    }
}

void bm_memcpy_baseline(benchmark::State& state) {
    Fixture& f = established_fixture(static_cast<std::uint32_t>(state.range(0)));
    std::uint64_t packets = 0;
    std::uint64_t sent = 0;
    for (auto _ : state) {
        sent += f.established_burst(f.fwd, f.fwd_pos, false);
        packets += kBurst;
    }
    report(state, f, packets, sent);
}

void bm_established_fwd(benchmark::State& state) {
    Fixture& f = established_fixture(static_cast<std::uint32_t>(state.range(0)));
    std::uint64_t packets = 0;
    std::uint64_t sent = 0;
    for (auto _ : state) {
        sent += f.established_burst(f.fwd, f.fwd_pos, true);
        packets += kBurst;
    }
    report(state, f, packets, sent);
}

void bm_established_reply(benchmark::State& state) {
    Fixture& f = established_fixture(static_cast<std::uint32_t>(state.range(0)));
    std::uint64_t packets = 0;
    std::uint64_t sent = 0;
    for (auto _ : state) {
        sent += f.established_burst(f.rep, f.rep_pos, true);
        packets += kBurst;
    }
    report(state, f, packets, sent);
}

void bm_new_conn(benchmark::State& state) {
    Fixture& f = new_conn_fixture(static_cast<std::uint32_t>(state.range(0)));
    const std::uint64_t created0 = f.connections_created();
    std::uint64_t packets = 0;
    std::uint64_t sent = 0;
    for (auto _ : state) {
        sent += f.syn_burst();
        packets += kBurst;
    }
    report(state, f, packets, sent);
    if (f.connections_created() - created0 != packets) {
        state.SkipWithError("a SYN found an unexpired connection: the pool is too small");
    }
}

void bm_mixed(benchmark::State& state) {
    Fixture& f = mixed_fixture(static_cast<std::uint32_t>(state.range(0)), 100'000);
    const std::uint64_t created0 = f.connections_created();
    const std::uint64_t seq0 = f.seq;
    std::uint64_t packets = 0;
    std::uint64_t sent = 0;
    for (auto _ : state) {
        sent += f.mixed_burst();
        packets += kBurst;
    }
    report(state, f, packets, sent);
    const std::uint64_t syns = (f.seq / 10) - (seq0 / 10);
    if (f.connections_created() - created0 != syns) {
        state.SkipWithError("a SYN found an unexpired connection: the pool is too small");
    }
}

constexpr std::int64_t k1k = 1000;
constexpr std::int64_t k1M = 1'000'000;

// Registered so that benchmarks sharing a fixture run back to back.
BENCHMARK(bm_memcpy_baseline)->Name("memcpy_baseline")->ArgName("flows")->Arg(k1k);
BENCHMARK(bm_established_fwd)->Name("established_fwd")->ArgName("flows")->Arg(k1k);
BENCHMARK(bm_established_reply)->Name("established_reply")->ArgName("flows")->Arg(k1k);
BENCHMARK(bm_memcpy_baseline)->Name("memcpy_baseline")->ArgName("flows")->Arg(k1M);
BENCHMARK(bm_established_fwd)->Name("established_fwd")->ArgName("flows")->Arg(k1M);
BENCHMARK(bm_established_reply)->Name("established_reply")->ArgName("flows")->Arg(k1M);
BENCHMARK(bm_new_conn)->Name("new_conn")->ArgName("live")->Arg(16'000);
BENCHMARK(bm_new_conn)->Name("new_conn")->ArgName("live")->Arg(k1M);
BENCHMARK(bm_mixed)->Name("mixed_90_10")->ArgName("flows")->Arg(k1M);

}  // namespace

BENCHMARK_MAIN();
