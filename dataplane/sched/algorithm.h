#pragma once
// The LVS scheduling algorithms sluice implements (keepalived `lb_algo`).

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::dataplane::sched {

enum class Algorithm : std::uint8_t {
    kRoundRobin,               // rr  (ip_vs_rr.c)
    kWeightedRoundRobin,       // wrr (ip_vs_wrr.c)
    kLeastConnection,          // lc  (ip_vs_lc.c)
    kWeightedLeastConnection,  // wlc (ip_vs_wlc.c)
    kSourceHash,               // sh  (ip_vs_sh.c)
    kMaglev,                   // mh  (ip_vs_mh.c; Eisenbud et al., NSDI'16)
};

// The LVS short name: "rr", "wrr", "lc", "wlc", "sh", "mh".
std::string_view algorithm_name(Algorithm algorithm) noexcept;

// The inverse of algorithm_name; nullopt for any other text.
std::optional<Algorithm> parse_algorithm(std::string_view name) noexcept;

}  // namespace sluice::dataplane::sched
