#pragma once
// What the dataplane gets for one virtual server, from its real servers'
// health (pure). keepalived 2.2.7 semantics: ipwrapper.c (perform_svr_state,
// update_quorum_state, perform_quorum_state), ipvswrapper.c (ipvs_cmd's
// inhibit handling), check_misc.c (misc_dynamic weights).
//
// A real server that is up is listed with its weight: the runtime override's,
// else the one a misc_dynamic MISC_CHECK set, else the configured one (clamped
// to 65535). Weight 0 keeps it listed but takes no new connections (drained).
//
// A real server that is down takes no new connections, in one of two ways:
//  - removed (keepalived DEL_DEST): not listed at all;
//  - inhibit_on_failure: kept listed with weight 0 (keepalived turns the
//    DEL_DEST into an EDIT_DEST with weight 0). It stays visible, with its
//    counters, in status output, and comes back by a weight change.
// Either way existing connections carry on (LVS keeps them on a removed
// destination too), unless the service has reset_on_backend_down: went_down()
// lists whom to reset.
//
// The sorry server (keepalived `sorry_server`) follows the QUORUM, not single
// backends: while the service has lost its quorum (quorum.h) the sorry server
// is listed and takes the new connections, and the real servers that are still
// up are taken out of the pool (keepalived "Removing alive servers from the
// pool": removed, or weight 0 with inhibit_on_failure) until the quorum is
// back. With the default quorum 1 (and hysteresis 0) that is exactly "while no
// real server is up with a weight above 0". Without a sorry server, losing the
// quorum changes no weights. When not in use the sorry server is not listed,
// or listed with weight 0 if it has inhibit (keepalived sorry_server_inhibit).
//
// Runtime overrides (sluice's; keepalived has none): `weight` replaces the
// weight while the backend is up; `drain` publishes weight 0 while it is up
// (existing connections finish, no new ones); `maint` treats it as down
// whatever its checks say (removed, or weight 0 with inhibit_on_failure) but
// is no health change, so went_down() does not report it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "checks/rise_fall.h"

namespace sluice::checks {

inline constexpr std::uint32_t kMaxRealServerWeight = 65535;  // keepalived / LVS weight limit

enum class OverrideKind : std::uint8_t { none, weight, drain, maint };

struct RuntimeOverride {
    OverrideKind kind = OverrideKind::none;
    std::uint32_t weight = 0;  // for OverrideKind::weight
};

struct RealServerInput {
    std::uint32_t weight = 1;                   // configured
    std::optional<std::uint32_t> check_weight;  // set by a misc_dynamic MISC_CHECK
    Health health = Health::up;
    bool inhibit_on_failure = false;
    RuntimeOverride runtime;
};

struct SorryServerInput {
    std::uint32_t weight = 1;
    bool inhibit = false;  // listed with weight 0 while not in use
};

enum class BackendState : std::uint8_t {
    serving,          // up, listed with weight > 0
    drained,          // up, listed with weight 0 (configured, dynamic or `drain`)
    down_removed,     // down: not listed
    down_inhibited,   // down with inhibit_on_failure: listed with weight 0
    maint_removed,    // `maint`: not listed
    maint_inhibited,  // `maint` with inhibit_on_failure: listed with weight 0
    displaced,        // up, but the sorry server has the pool: removed, or weight 0 if inhibit
};

std::string_view to_string(BackendState s);

struct BackendDecision {
    bool listed = false;         // present in the dataplane's backend table
    std::uint32_t weight = 0;    // to publish when listed (0 when not)
    bool eligible = false;       // may take NEW connections: listed, up and weight > 0
    Health health = Health::up;  // the input's, for went_down()
    BackendState state = BackendState::down_removed;
};

struct SorryDecision {
    bool listed = false;
    std::uint32_t weight = 0;
    bool in_use = false;  // takes the new connections (quorum lost)
};

struct ServiceDecision {
    std::vector<BackendDecision> backends;  // in input order
    std::optional<SorryDecision> sorry;     // when a sorry server is configured
    bool sorry_in_use = false;
};

// The weight a real server contributes to the quorum: its weight (as
// published: after overrides and dynamic weight, clamped) while it is up and
// not in maintenance or drained, else 0. keepalived sums real_weight(
// effective_weight) over alive real servers (weigh_live_realservers).
std::uint64_t alive_weight(std::span<const RealServerInput> real_servers);

// `quorum_up`: the service's Quorum::up() after feeding it alive_weight() of
// the same inputs.
ServiceDecision decide(std::span<const RealServerInput> real_servers,
                       const std::optional<SorryServerInput>& sorry, bool quorum_up);

// Indices of the real servers whose health went from up to down between two
// decisions of the same service (compared index by index, over the shorter
// list): whose existing connections reset_on_backend_down resets.
std::vector<std::size_t> went_down(const ServiceDecision& before, const ServiceDecision& after);

}  // namespace sluice::checks
