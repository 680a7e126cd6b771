#include "checks/backend_weights.h"

#include <algorithm>

namespace sluice::checks {

namespace {

// The weight a real server has while it is up, before the sorry server and
// health are considered.
std::uint32_t up_weight(const RealServerInput& rs) {
    std::uint32_t w = rs.check_weight.value_or(rs.weight);
    switch (rs.runtime.kind) {
        case OverrideKind::weight:
            w = rs.runtime.weight;
            break;
        case OverrideKind::drain:
        case OverrideKind::maint:
            w = 0;
            break;
        case OverrideKind::none:
            break;
    }
    return std::min(w, kMaxRealServerWeight);
}

bool counts_as_up(const RealServerInput& rs) {
    return rs.health == Health::up && rs.runtime.kind != OverrideKind::maint;
}

BackendDecision out_of_pool(const RealServerInput& rs, BackendState removed,
                            BackendState inhibited) {
    BackendDecision d;
    d.health = rs.health;
    d.listed = rs.inhibit_on_failure;
    d.state = rs.inhibit_on_failure ? inhibited : removed;
    return d;
}

}  // namespace

std::string_view to_string(BackendState s) {
    switch (s) {
        case BackendState::serving:
            return "serving";
        case BackendState::drained:
            return "drained";
        case BackendState::down_removed:
            return "down";
        case BackendState::down_inhibited:
            return "down (inhibited)";
        case BackendState::maint_removed:
            return "maintenance";
        case BackendState::maint_inhibited:
            return "maintenance (inhibited)";
        case BackendState::displaced:
            return "displaced by the sorry server";
    }
    return "?";
}

std::uint64_t alive_weight(std::span<const RealServerInput> real_servers) {
    std::uint64_t sum = 0;
    for (const RealServerInput& rs : real_servers) {
        if (counts_as_up(rs)) {
            sum += up_weight(rs);
        }
    }
    return sum;
}

ServiceDecision decide(std::span<const RealServerInput> real_servers,
                       const std::optional<SorryServerInput>& sorry, bool quorum_up) {
    ServiceDecision out;
    out.sorry_in_use = sorry.has_value() && !quorum_up;
    out.backends.reserve(real_servers.size());
    for (const RealServerInput& rs : real_servers) {
        if (rs.runtime.kind == OverrideKind::maint) {
            out.backends.push_back(
                out_of_pool(rs, BackendState::maint_removed, BackendState::maint_inhibited));
        } else if (rs.health == Health::down) {
            out.backends.push_back(
                out_of_pool(rs, BackendState::down_removed, BackendState::down_inhibited));
        } else if (out.sorry_in_use) {
            out.backends.push_back(
                out_of_pool(rs, BackendState::displaced, BackendState::displaced));
        } else {
            BackendDecision d;
            d.health = rs.health;
            d.listed = true;
            d.weight = up_weight(rs);
            d.eligible = d.weight > 0;
            d.state = d.eligible ? BackendState::serving : BackendState::drained;
            out.backends.push_back(d);
        }
    }
    if (sorry) {
        SorryDecision s;
        s.in_use = out.sorry_in_use;
        s.listed = s.in_use || sorry->inhibit;
        s.weight = s.in_use ? std::min(sorry->weight, kMaxRealServerWeight) : 0;
        out.sorry = s;
    }
    return out;
}

std::vector<std::size_t> went_down(const ServiceDecision& before, const ServiceDecision& after) {
    std::vector<std::size_t> out;
    const std::size_t n = std::min(before.backends.size(), after.backends.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (before.backends[i].health == Health::up && after.backends[i].health == Health::down) {
            out.push_back(i);
        }
    }
    return out;
}

}  // namespace sluice::checks
