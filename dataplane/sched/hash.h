#pragma once
// Hashes used by the schedulers. They are pure integer arithmetic with fixed
// seeds, so every process on every machine computes the same values: two
// appliances (or a restarted one) send a flow to the same Maglev slot. Do not
// replace them with the NIC's RSS hash or a per-process seeded hash.

#include <cstdint>

#include "dataplane/sched/flow_key.h"

namespace sluice::dataplane::sched {

// The splitmix64 finaliser (Steele, Lea, Flood, OOPSLA'14): a bijection on 64
// bits in which every input bit affects every output bit.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58'476d'1ce4'e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d0'49bb'1331'11ebULL;
    return z ^ (z >> 31);
}

// Maps a 32-bit hash uniformly onto [0, n) with a multiply and a shift instead
// of a division (Lemire, "A fast alternative to the modulo reduction", 2016):
// the Maglev table size is a prime, and a 64-bit divide costs ~25-40 cycles.
constexpr std::uint32_t reduce(std::uint32_t hash, std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>((std::uint64_t{hash} * n) >> 32);
}

inline constexpr std::uint64_t kFlowHashSeed = 0x736c'7569'6365'666cULL;    // "sluicefl"
inline constexpr std::uint64_t kSourceHashSeed = 0x736c'7569'6365'7368ULL;  // "sluicesh"

// The 5-tuple hash (Maglev's lookup key, NSDI'16 section 3.4).
constexpr std::uint32_t flow_hash(const FlowKey& f) noexcept {
    const std::uint64_t addresses = (std::uint64_t{f.src_ip} << 32) | f.dst_ip;
    const std::uint64_t rest =
        (std::uint64_t{f.src_port} << 32) | (std::uint64_t{f.dst_port} << 16) | f.proto;
    return static_cast<std::uint32_t>(mix64(mix64(addresses ^ kFlowHashSeed) ^ rest) >> 32);
}

// The client hash for sh (LVS ip_vs_sh_hashkey: the source address, plus the
// source port with the "sh-port" flag) and for mh without ports.
constexpr std::uint32_t source_hash(std::uint32_t src_ip, std::uint16_t src_port) noexcept {
    const std::uint64_t key = (std::uint64_t{src_ip} << 16) | src_port;
    return static_cast<std::uint32_t>(mix64(key ^ kSourceHashSeed) >> 32);
}

}  // namespace sluice::dataplane::sched
