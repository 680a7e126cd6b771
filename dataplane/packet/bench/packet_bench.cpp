// Hot-path costs of the packet library: parse a frame, NAT-rewrite it, and the
// checksum over an MTU-sized buffer for scale. Speed is reported, never asserted.

#include <array>
#include <cstdint>

#include <benchmark/benchmark.h>

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/nat.h"
#include "dataplane/packet/parse.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

test::Bytes syn_frame() {
    test::PacketSpec s;
    s.tcp_options = {0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07};
    return test::build_frame(s);
}

void parse_frame_tcp_syn(benchmark::State& state) {
    const test::Bytes f = syn_frame();
    const auto len = static_cast<std::uint32_t>(f.size());
    PacketMeta meta;
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
        benchmark::DoNotOptimize(parse_frame(f.data(), len, meta));
        benchmark::DoNotOptimize(meta);
    }
}
BENCHMARK(parse_frame_tcp_syn);

void parse_frame_trusted_checksum(benchmark::State& state) {
    const test::Bytes f = syn_frame();
    const auto len = static_cast<std::uint32_t>(f.size());
    PacketMeta meta;
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
        benchmark::DoNotOptimize(parse_frame(f.data(), len, meta, IpChecksumCheck::trust));
        benchmark::DoNotOptimize(meta);
    }
}
BENCHMARK(parse_frame_trusted_checksum);

void rewrite_destination_tcp(benchmark::State& state) {
    test::Bytes f = syn_frame();
    PacketMeta meta;
    parse_frame(f.data(), static_cast<std::uint32_t>(f.size()), meta);
    // Alternate between two backends so every iteration changes the bytes.
    const std::array<common::Ipv4Addr, 2> backends{common::Ipv4Addr{0x0a000a05},
                                                   common::Ipv4Addr{0x0a000a06}};
    std::size_t i = 0;
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
        rewrite_destination(f.data(), meta, backends[i & 1],
                            static_cast<std::uint16_t>(8080 + (i & 1)));
        ++i;
        benchmark::ClobberMemory();
    }
}
BENCHMARK(rewrite_destination_tcp);

void parse_and_rewrite_tcp(benchmark::State& state) {
    test::Bytes f = syn_frame();
    const auto len = static_cast<std::uint32_t>(f.size());
    PacketMeta meta;
    std::uint32_t i = 0;
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
        if (parse_frame(f.data(), len, meta) == ParseStatus::ok) {
            rewrite_destination(f.data(), meta, common::Ipv4Addr{0x0a000a00 + (++i & 0xff)}, 8080);
        }
        benchmark::ClobberMemory();
    }
}
BENCHMARK(parse_and_rewrite_tcp);

void checksum_1500_bytes(benchmark::State& state) {
    std::array<std::uint8_t, 1500> buf{};
    for (std::size_t i = 0; i < buf.size(); ++i) {
        buf[i] = static_cast<std::uint8_t>(i * 7);
    }
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
        benchmark::DoNotOptimize(
            internet_checksum(buf.data(), static_cast<std::uint32_t>(buf.size())));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 1500);
}
BENCHMARK(checksum_1500_bytes);

}  // namespace
}  // namespace sluice::dataplane::packet

BENCHMARK_MAIN();
