#pragma once
// lc and wlc (ip_vs_lc.c, ip_vs_wlc.c). A backend's load is LVS's
// ip_vs_dest_conn_overhead: active * 256 + inactive, so an established
// connection weighs 256 times one in TIME_WAIT, FIN or SYN states.
//
// The counts are the picking worker's own (see PickContext): LVS keeps one
// global count per destination; sluice workers share nothing on the hot path,
// so each balances its own connections, which approximates the global rule.
// Ties go to the lower backend index, as LVS's list walk does.

#include <cstdint>
#include <span>

namespace sluice::dataplane::sched {

constexpr std::uint64_t conn_overhead(std::uint32_t active, std::uint32_t inactive) noexcept {
    return (std::uint64_t{active} << 8) + inactive;
}

// `weights` are effective weights (0: not eligible); `active` and `inactive`
// must be at least as long, else kNoBackend. O(N), no allocation.
std::uint32_t pick_least_connection(std::span<const std::uint32_t> weights,
                                    std::span<const std::uint32_t> active,
                                    std::span<const std::uint32_t> inactive) noexcept;

// Minimises overhead / weight, compared as overhead_a * weight_b <
// overhead_b * weight_a (no division; < 2^57, exact in 64 bits).
std::uint32_t pick_weighted_least_connection(std::span<const std::uint32_t> weights,
                                             std::span<const std::uint32_t> active,
                                             std::span<const std::uint32_t> inactive) noexcept;

}  // namespace sluice::dataplane::sched
