#include "controlplane/snapshot_builder.h"

#include <algorithm>

#include "dataplane/sched/backend.h"
#include "dataplane/sched/service_scheduler.h"

namespace sluice::controlplane {

namespace df = dataplane::forward;
namespace conn = dataplane::conn;
namespace sched = dataplane::sched;

namespace {

sched::Algorithm algorithm_of(config::Scheduler s) {
    switch (s) {
        case config::Scheduler::rr:
            return sched::Algorithm::kRoundRobin;
        case config::Scheduler::wrr:
            return sched::Algorithm::kWeightedRoundRobin;
        case config::Scheduler::lc:
            return sched::Algorithm::kLeastConnection;
        case config::Scheduler::wlc:
            return sched::Algorithm::kWeightedLeastConnection;
        case config::Scheduler::sh:
            return sched::Algorithm::kSourceHash;
        case config::Scheduler::mh:
            return sched::Algorithm::kMaglev;
    }
    return sched::Algorithm::kRoundRobin;
}

conn::ForwardMethod method_of(config::ForwardMethod m) {
    switch (m) {
        case config::ForwardMethod::nat:
            return conn::ForwardMethod::nat;
        case config::ForwardMethod::dr:
            return conn::ForwardMethod::dr;
        case config::ForwardMethod::tun:
            return conn::ForwardMethod::tun;
    }
    return conn::ForwardMethod::nat;
}

conn::Timeouts timeouts_of(const config::Timeouts& t) {
    conn::Timeouts out = conn::kDefaultTimeouts;
    auto set = [&out](conn::TcpState s, std::uint32_t v) {
        out.tcp[static_cast<std::size_t>(s)] = v;
    };
    set(conn::TcpState::established, t.tcp_established);
    set(conn::TcpState::syn_sent, t.tcp_syn);
    set(conn::TcpState::syn_recv, t.tcp_syn);
    set(conn::TcpState::fin_wait, t.tcp_fin);
    set(conn::TcpState::time_wait, t.tcp_fin);
    set(conn::TcpState::close, t.tcp_close);
    out.udp = t.udp;
    return out;
}

// Owned: every service VIP no vrrp_instance lists, plus the VRRP addresses held.
// Every VRRP address is a VIP (answered for and forwarded only while held).
void apply_ownership(df::Snapshot& snap, const config::Config& config,
                     const VrrpOwnership& ownership) {
    std::vector<std::uint32_t> vrrp_addresses;
    for (const auto& vi : config.vrrp_instances) {
        for (const auto& prefix : vi.virtual_ipaddress) {
            vrrp_addresses.push_back(prefix.addr.value);
        }
    }
    std::sort(vrrp_addresses.begin(), vrrp_addresses.end());
    snap.owned_vips.clear();
    snap.vip_macs.clear();
    for (const auto& s : snap.services) {
        if (!std::binary_search(vrrp_addresses.begin(), vrrp_addresses.end(), s.vip.value)) {
            snap.owned_vips.push_back(s.vip.value);
        }
    }
    for (const auto vip : ownership.held) {
        if (std::binary_search(vrrp_addresses.begin(), vrrp_addresses.end(), vip)) {
            snap.owned_vips.push_back(vip);
        }
    }
    for (const auto& vm : ownership.virtual_macs) {
        if (std::find(ownership.held.begin(), ownership.held.end(), vm.first) !=
            ownership.held.end()) {
            snap.vip_macs.push_back(vm);
        }
    }
    snap.vips.insert(snap.vips.end(), vrrp_addresses.begin(), vrrp_addresses.end());
}

BackendRuntime runtime_of(const BackendStates* states, const std::string& service,
                          const config::RealServer& rs) {
    if (states == nullptr) {
        return {};
    }
    const auto it = states->find(BackendKey{service, rs.address.value, rs.port});
    return it == states->end() ? BackendRuntime{} : it->second;
}

// Whether workers may keep what they derived from `before` (persistence
// bindings by backend index, timeout profiles): same services in the same
// order with the same backends, indices and slots.
bool same_layout(const df::Snapshot& before, const df::Snapshot& after) {
    if (before.services.size() != after.services.size() || before.timeouts != after.timeouts) {
        return false;
    }
    for (std::size_t i = 0; i < after.services.size(); ++i) {
        const auto& a = before.services[i];
        const auto& b = after.services[i];
        if (a.slot != b.slot || a.vip != b.vip || a.port != b.port || a.proto != b.proto ||
            a.method != b.method || a.timeouts_index != b.timeouts_index ||
            a.persistence_timeout != b.persistence_timeout ||
            a.persistence_mask != b.persistence_mask || a.sorry_index != b.sorry_index ||
            a.backends.size() != b.backends.size()) {
            return false;
        }
        for (std::size_t j = 0; j < b.backends.size(); ++j) {
            const auto& x = a.backends[j];
            const auto& y = b.backends[j];
            if (x.ip != y.ip || x.port != y.port || x.slot != y.slot) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

std::unique_ptr<df::Snapshot> build_snapshot(const config::Config& config,
                                             const SnapshotInputs& inputs, SlotAllocator& slots,
                                             std::string& error) {
    auto snap = std::make_unique<df::Snapshot>();
    snap->generation = inputs.generation;
    snap->sloppy_tcp = config.dataplane.sloppy_tcp;
    const auto& ports = config.dataplane.ports;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        df::PortView pv;
        pv.port_id = i < inputs.port_ids.size() ? inputs.port_ids[i] : 0;
        pv.mac = i < inputs.port_macs.size() ? inputs.port_macs[i] : dataplane::packet::MacAddr{};
        pv.addresses = ports[i].addresses;
        pv.gateway = ports[i].gateway;
        pv.mtu = ports[i].mtu;
        snap->ports.push_back(std::move(pv));
    }
    auto port_index = [&ports](const std::string& name) -> std::uint16_t {
        for (std::size_t i = 0; i < ports.size(); ++i) {
            if (ports[i].name == name) {
                return static_cast<std::uint16_t>(i);
            }
        }
        return 0;
    };

    for (std::size_t si = 0; si < config.virtual_servers.size(); ++si) {
        const auto& vs = config.virtual_servers[si];
        const auto service_slot = slots.service(vs.name);
        if (!service_slot) {
            error = "no counter slot left for virtual_server '" + vs.name +
                    "' (restart sluiced to renumber)";
            return nullptr;
        }
        df::ServiceView sv;
        sv.vip = vs.vip;
        sv.port = vs.port;
        sv.proto = vs.protocol == config::Protocol::tcp ? 6 : 17;
        sv.method = method_of(vs.lb_kind);
        sv.in_port = port_index(vs.interface);
        sv.timeouts_index = static_cast<std::uint16_t>(*service_slot);
        sv.persistence_timeout = vs.persistence_timeout;
        sv.persistence_mask = vs.persistence_granularity;
        sv.slot = *service_slot;
        std::vector<sched::BackendInfo> infos;
        std::vector<std::uint64_t> keys;
        for (const auto& rs : vs.real_servers) {
            const BackendRuntime runtime = runtime_of(inputs.backend_states, vs.name, rs);
            df::BackendView bv;
            bv.ip = rs.address;
            bv.port = rs.port;
            bv.weight = std::min(runtime.weight.value_or(rs.weight), sched::kMaxWeight);
            if (!runtime.up && rs.inhibit_on_failure) {
                bv.weight = 0;
            }
            bv.up = runtime.up;
            const auto slot = slots.backend(vs.name, rs.address.value, rs.port);
            if (!slot) {
                error = "no counter slot left for a real server of '" + vs.name +
                        "' (restart sluiced to renumber)";
                return nullptr;
            }
            bv.slot = *slot;
            if (const auto r = df::route(*snap, rs.address)) {
                bv.out_port = r->port;
                bv.next_hop = r->next_hop;
            }
            sv.backends.push_back(bv);
            infos.push_back({bv.weight, bv.up});
            keys.push_back(sched::backend_key(rs.address.value, rs.port));
        }
        sv.reset_on_backend_down = vs.reset_on_backend_down;
        sched::BuildOptions options;
        options.mh_table_size = vs.mh_table_size;
        const df::ServiceView* before = nullptr;
        if (inputs.previous != nullptr) {
            for (const auto& old : inputs.previous->services) {
                if (old.slot == sv.slot && old.scheduler) {
                    before = &old;
                }
            }
        }
        auto built =
            before != nullptr
                ? sched::ServiceScheduler::rebuild(*before->scheduler, algorithm_of(vs.lb_algo),
                                                   infos, keys, options)
                : sched::ServiceScheduler::build(algorithm_of(vs.lb_algo), infos, keys, options);
        if (!built) {
            error = "virtual_server '" + vs.name + "': cannot build the " +
                    std::string(sched::algorithm_name(algorithm_of(vs.lb_algo))) +
                    " scheduler: " + std::string(sched::build_error_name(built.error()));
            return nullptr;
        }
        sv.scheduler = std::move(built).value();
        if (vs.sorry_server) {
            // After the real servers, so the scheduler's indices stay theirs.
            const auto& sorry = *vs.sorry_server;
            df::BackendView bv;
            bv.ip = sorry.address;
            bv.port = sorry.port != 0 ? sorry.port : vs.port;
            bv.weight = std::min(sorry.weight, sched::kMaxWeight);
            const auto slot = slots.backend(vs.name, sorry.address.value, bv.port);
            if (!slot) {
                error = "no counter slot left for the sorry server of '" + vs.name +
                        "' (restart sluiced to renumber)";
                return nullptr;
            }
            bv.slot = *slot;
            if (const auto r = df::route(*snap, sorry.address)) {
                bv.out_port = r->port;
                bv.next_hop = r->next_hop;
            }
            sv.sorry_index = static_cast<std::uint32_t>(sv.backends.size());
            sv.backends.push_back(bv);
        }
        if (snap->timeouts.size() <= *service_slot) {
            snap->timeouts.resize(*service_slot + 1, conn::kDefaultTimeouts);
        }
        snap->timeouts[*service_slot] = timeouts_of(vs.timeouts);
        snap->services.push_back(std::move(sv));
    }
    snap->services_generation = inputs.previous != nullptr && same_layout(*inputs.previous, *snap)
                                    ? inputs.previous->services_generation
                                    : inputs.generation;
    apply_ownership(*snap, config, inputs.ownership);
    snap->finalize();
    return snap;
}

std::unique_ptr<df::Snapshot> with_ownership(const df::Snapshot& current,
                                             const config::Config& config,
                                             const VrrpOwnership& ownership,
                                             std::uint64_t generation) {
    auto snap = std::make_unique<df::Snapshot>(current);
    snap->generation = generation;
    apply_ownership(*snap, config, ownership);
    snap->finalize();
    return snap;
}

}  // namespace sluice::controlplane
