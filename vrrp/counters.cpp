#include "vrrp/counters.h"

namespace sluice::vrrp {

std::map<std::string, std::uint64_t> counters_to_map(const InstanceCounters& c) {
    std::map<std::string, std::uint64_t> m;
    auto put = [&m](std::string_view name, std::uint64_t v) { m.emplace(name, v); };
    for_each_counter(c, put);
    for_each_drop(c, put);
    return m;
}

void count_received(InstanceCounters& c, const RxResult& r) {
    if (!r.ok()) {
        ++c.drop(r.drop);
        return;
    }
    ++c.adverts_received;
    if (r.advert.priority == 0)
        ++c.priority_zero_received;
    if (r.addresses_differ)
        ++c.addresses_differ;
}

void count_actions(InstanceCounters& c, const Actions& a, State before, State after) {
    for (const Action& x : a.items) {
        if (x.kind != Action::Kind::send_advert)
            continue;
        ++c.adverts_sent;
        if (x.priority == 0)
            ++c.priority_zero_sent;
    }
    if (before != State::master && after == State::master)
        ++c.became_master;
    if (before == State::master && after != State::master)
        ++c.released_master;
}

}  // namespace sluice::vrrp
