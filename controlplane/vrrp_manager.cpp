#include "controlplane/vrrp_manager.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "controlplane/notify_script.h"
#include "controlplane/process/process_runner.h"
#include "controlplane/process/script_security.h"
#include "controlplane/process/split_command.h"
#include "dataplane/packet/arp.h"
#include "vrrp/advert_frame.h"
#include "vrrp/counters.h"
#include "vrrp/sync_group.h"

namespace sluice::controlplane {

namespace {

namespace packet = dataplane::packet;
using vrrp::State;

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;
constexpr std::uint64_t kUsPerS = 1'000'000;

std::uint64_t seconds_us(double s) { return static_cast<std::uint64_t>(std::llround(s * 1e6)); }

std::uint32_t interval_cs(double advert_int) { return static_cast<std::uint32_t>(std::lround(advert_int * 100.0)); }

// Everything that decides how an instance runs; two instances with the same key
// are the same instance across a reload (source positions do not count).
std::string settings_key(const config::VrrpInstance& in) {
    std::ostringstream k;
    k << in.interface << '|' << int{in.virtual_router_id} << '|' << int{in.priority} << '|' << in.advert_int << '|'
      << int{in.version} << '|' << in.nopreempt << '|' << in.preempt_delay << '|'
      << (in.unicast_src_ip ? in.unicast_src_ip->to_string() : "") << '|' << static_cast<int>(in.auth_type) << '|'
      << in.auth_pass << '|' << in.use_vmac << '|' << in.accept << '|' << in.garp_master_delay << '|'
      << in.garp_master_repeat << '|' << in.garp_master_refresh << '|';
    for (const auto& p : in.virtual_ipaddress) k << p.to_string() << ',';
    k << '|';
    for (const auto& p : in.unicast_peer) k << p.to_string() << ',';
    k << '|';
    for (const auto& t : in.track_script) k << t.name << '=' << (t.weight ? std::to_string(*t.weight) : "-") << ',';
    k << '|';
    for (const auto& t : in.track_interface) k << t << ',';
    k << '|';
    for (const auto& t : in.track_service) k << t << ',';
    k << '|' << in.track_service_weight << '|' << in.notify_master << '|' << in.notify_backup << '|'
      << in.notify_fault << '|' << in.notify_stop << '|' << in.notify;
    return k.str();
}

vrrp::Config machine_config(const config::VrrpInstance& in, common::Ipv4Addr primary) {
    vrrp::Config c;
    c.name = in.name;
    c.vrid = in.virtual_router_id;
    c.version = in.version;
    c.priority = in.priority;
    c.advert_interval_cs = interval_cs(in.advert_int);
    c.preempt = !in.nopreempt;
    c.preempt_delay_us = seconds_us(in.preempt_delay);
    c.primary_address = primary;
    c.accept_mode = in.accept;
    return c;
}

const char* notify_state_word(State s) {
    switch (s) {
        case State::master: return "MASTER";
        case State::backup: return "BACKUP";
        case State::fault: return "FAULT";
        case State::init: return "STOP";
    }
    return "UNKNOWN";
}

}  // namespace

VrrpManager::VrrpManager(Logger& log, ProcessRunner* runner, VrrpIo io)
    : log_(log), runner_(runner), io_(std::move(io)) {}

VrrpManager::Runtime* VrrpManager::find(const std::string& name) {
    for (auto& rt : instances_) {
        if (rt.cfg.name == name) return &rt;
    }
    return nullptr;
}

std::optional<State> VrrpManager::state_of(const std::string& name) const {
    for (const auto& rt : instances_) {
        if (rt.cfg.name == name) return rt.sm.state();
    }
    return std::nullopt;
}

vrrp::RxInstance VrrpManager::rx_view(const Runtime& rt) const {
    vrrp::RxInstance r;
    r.port = rt.port;
    r.vrid = rt.cfg.virtual_router_id;
    r.version = rt.cfg.version;
    r.auth = rt.cfg.auth_type == config::AuthType::pass ? vrrp::AuthType::pass : vrrp::AuthType::none;
    r.auth_pass = rt.cfg.auth_pass;
    r.advert_interval_cs = interval_cs(rt.cfg.advert_int);
    r.unicast_peers = rt.cfg.unicast_peer;
    for (const auto& p : rt.cfg.virtual_ipaddress) r.vips.push_back(p.addr);
    r.primary_address = rt.src_ip;
    return r;
}

void VrrpManager::configure(const config::Config& config, std::span<const VrrpPort> ports, std::uint64_t now_us) {
    global_ = config.global;
    groups_ = config.vrrp_sync_groups;
    port_names_.clear();
    for (const auto& p : ports) port_names_.push_back(p.name);

    // Scripts: keep the rise/fall state of unchanged ones.
    std::map<std::string, ScriptState> scripts;
    for (const auto& s : config.vrrp_scripts) {
        auto old = scripts_.find(s.name);
        if (old != scripts_.end() && old->second.cfg.script == s.script && old->second.cfg.rise == s.rise &&
            old->second.cfg.fall == s.fall && old->second.cfg.user == s.user) {
            auto kept = std::move(old->second);
            kept.cfg = s;
            scripts.emplace(s.name, std::move(kept));
            continue;
        }
        std::string error;
        auto argv = process::split_command(s.script, error);
        if (!error.empty()) {
            log_.error("VRRP_Script(" + s.name + "): cannot run '" + s.script + "': " + error + "; disabled");
            argv.clear();
        }
        scripts.emplace(s.name, ScriptState{s, std::move(argv), vrrp::ScriptTracker(s.rise, s.fall), now_us, false});
    }
    scripts_ = std::move(scripts);

    // Instances: unchanged ones keep their state; changed and removed ones resign.
    std::vector<Runtime> next;
    bool ownership_dirty = false;
    for (const auto& in : config.vrrp_instances) {
        auto old = std::find_if(instances_.begin(), instances_.end(), [&in](const Runtime& rt) {
            return rt.cfg.name == in.name && settings_key(rt.cfg) == settings_key(in);
        });
        if (old != instances_.end()) {
            next.push_back(std::move(*old));
            instances_.erase(old);
            continue;
        }
        std::uint16_t port = 0;
        for (std::size_t i = 0; i < ports.size(); ++i) {
            if (ports[i].name == in.interface) port = static_cast<std::uint16_t>(i);
        }
        common::Ipv4Addr primary = in.unicast_src_ip.value_or(
            port < ports.size() && !ports[port].addresses.empty() ? ports[port].addresses.front().addr
                                                                  : common::Ipv4Addr{});
        Runtime rt{in, vrrp::Instance(machine_config(in, primary)), port, {}, primary, {}, {}, 0, 0, {}, {}, {}, {},
                   false, false};
        rt.src_mac = in.use_vmac ? vrrp::virtual_mac(in.virtual_router_id)
                                 : (port < ports.size() ? ports[port].mac : packet::MacAddr{});
        if (in.use_vmac && io_.add_mac) io_.add_mac(port, rt.src_mac);
        next.push_back(std::move(rt));
    }
    for (auto& gone : instances_) {
        const State from = gone.sm.state();
        execute(gone, gone.sm.shutdown(now_us), now_us);
        if (from == State::master) ownership_dirty = true;
        log_.info("(" + gone.cfg.name + ") removed or changed by the reload");
    }
    instances_ = std::move(next);
    for (auto& rt : instances_) {
        rt.sync_groups.clear();
        for (const auto& g : groups_) {
            if (std::find(g.group.begin(), g.group.end(), rt.cfg.name) != g.group.end())
                rt.sync_groups.push_back(g.name);
        }
    }
    rx_.clear();
    for (const auto& rt : instances_) rx_.push_back(rx_view(rt));
    update_tracking(now_us);
    for (auto& rt : instances_) {
        if (rt.sm.state() == State::init) start_instance(rt, now_us);
    }
    if (ownership_dirty && io_.ownership_changed) io_.ownership_changed();
}

void VrrpManager::start_instance(Runtime& rt, std::uint64_t now_us) {
    const State from = rt.sm.state();
    execute(rt, rt.sm.start(now_us), now_us);
    if (rt.sm.state() != from) on_state_change(rt, from, now_us);
}

void VrrpManager::execute(Runtime& rt, const vrrp::Actions& actions, std::uint64_t now_us) {
    (void)now_us;
    // Ownership first, so that the new master answers for its VIPs by the time
    // its gratuitous ARPs draw traffic; a leaving master stops at once.
    bool ownership = false;
    for (const auto& a : actions.items) {
        using K = vrrp::Action::Kind;
        if (a.kind == K::become_master || a.kind == K::become_backup || a.kind == K::become_init ||
            a.kind == K::become_fault) {
            ownership = true;
        }
    }
    if (ownership && io_.ownership_changed) io_.ownership_changed();
    for (const auto& a : actions.items) {
        switch (a.kind) {
            case vrrp::Action::Kind::send_advert: send_advert(rt, a.priority); break;
            case vrrp::Action::Kind::send_garp: send_garps(rt); break;
            case vrrp::Action::Kind::log: log_.info(a.text); break;
            default: break;
        }
    }
}

void VrrpManager::send_advert(Runtime& rt, std::uint8_t priority) {
    vrrp::Advert adv;
    adv.version = rt.cfg.version;
    adv.vrid = rt.cfg.virtual_router_id;
    adv.priority = priority;
    const std::uint32_t cs = interval_cs(rt.cfg.advert_int);
    adv.interval = static_cast<std::uint16_t>(rt.cfg.version == 2 ? cs / 100 : cs);
    if (rt.cfg.version == 2 && rt.cfg.auth_type == config::AuthType::pass) {
        adv.auth_type = static_cast<std::uint8_t>(vrrp::AuthType::pass);
        adv.auth_data = vrrp::pass_auth_data(rt.cfg.auth_pass);
    }
    for (const auto& p : rt.cfg.virtual_ipaddress) adv.addresses.push_back(p.addr);

    auto emit = [&](const packet::MacAddr& dst_mac, common::Ipv4Addr dst) {
        const auto frame =
            vrrp::build_advert_frame(adv, vrrp::FrameAddressing{rt.src_mac, dst_mac, rt.src_ip, dst, rt.ip_id++, {}});
        if (!frame.empty() && io_.send_frame && io_.send_frame(rt.port, frame)) {
            rt.counters.adverts_sent++;
            if (priority == 0) rt.counters.priority_zero_sent++;
        } else {
            rt.counters.send_failed++;
        }
    };
    if (rt.cfg.unicast_peer.empty()) {
        emit(vrrp::multicast_mac(), vrrp::kVrrpGroup);
        return;
    }
    for (const auto& peer : rt.cfg.unicast_peer) {
        const auto mac = io_.neighbour_mac ? io_.neighbour_mac(peer.value) : std::nullopt;
        if (!mac) {
            rt.counters.peer_unresolved++;
            if (!rt.unresolved_peer_logged) {
                log_.warning("(" + rt.cfg.name + ") unicast peer " + peer.to_string() +
                             " has no known MAC yet (no ARP answer); its adverts are not sent until it answers");
                rt.unresolved_peer_logged = true;
            }
            continue;
        }
        emit(*mac, peer);
    }
}

void VrrpManager::send_garps(Runtime& rt) {
    std::array<std::uint8_t, 64> buf{};
    const std::uint32_t repeat = std::max<std::uint32_t>(rt.cfg.garp_master_repeat, 1);
    for (std::uint32_t n = 0; n < repeat; ++n) {
        for (const auto& p : rt.cfg.virtual_ipaddress) {
            std::uint32_t len = 0;
            if (packet::build_gratuitous_arp(buf, rt.src_mac, p.addr, std::nullopt, len) != packet::ArpStatus::ok)
                continue;
            if (io_.send_frame && io_.send_frame(rt.port, std::span<const std::uint8_t>(buf.data(), len)))
                rt.counters.garps_sent++;
            else
                rt.counters.send_failed++;
        }
    }
}

void VrrpManager::on_state_change(Runtime& rt, State from, std::uint64_t now_us) {
    const State to = rt.sm.state();
    rt.last_transition_us = now_us;
    if (to == State::master) {
        rt.counters.became_master++;
        rt.master_address = rt.src_ip;
        rt.garp_repeat_at.reset();
        rt.garp_refresh_at.reset();
        if (rt.cfg.garp_master_delay > 0 && rt.cfg.garp_master_repeat > 0)
            rt.garp_repeat_at = now_us + seconds_us(rt.cfg.garp_master_delay);
        if (rt.cfg.garp_master_refresh > 0) rt.garp_refresh_at = now_us + seconds_us(rt.cfg.garp_master_refresh);
    } else {
        if (from == State::master) rt.counters.released_master++;
        if (to != State::backup) rt.master_address.reset();
        else if (rt.master_address == rt.src_ip) rt.master_address.reset();
        rt.garp_repeat_at.reset();
        rt.garp_refresh_at.reset();
    }
    notify(rt, to);
    if (!stopping_) sync_peers_of(rt, from, now_us);
}

std::vector<vrrp::SyncMember> VrrpManager::group_members(const config::VrrpSyncGroup& g,
                                                         std::vector<Runtime*>& runtimes) {
    std::vector<vrrp::SyncMember> members;
    runtimes.clear();
    for (const auto& name : g.group) {
        if (Runtime* m = find(name)) {
            runtimes.push_back(m);
            members.push_back({m->sm.state(), m->tracking.fault});
        }
    }
    return members;
}

bool VrrpManager::held_by_a_group(const Runtime& rt) {
    for (const auto& g : groups_) {
        std::vector<Runtime*> runtimes;
        const auto members = group_members(g, runtimes);
        const auto it = std::find(runtimes.begin(), runtimes.end(), &rt);
        if (it != runtimes.end() &&
            vrrp::held_by_group(members, static_cast<std::size_t>(it - runtimes.begin()))) {
            return true;
        }
    }
    return false;
}

// keepalived's sync groups: one member's transition moves the others; each
// transition that causes is fed back in (sync_group_decide never loops).
void VrrpManager::sync_peers_of(Runtime& rt, State from, std::uint64_t now_us) {
    const State to = rt.sm.state();
    for (const auto& g : groups_) {
        if (std::find(g.group.begin(), g.group.end(), rt.cfg.name) == g.group.end()) continue;
        std::vector<Runtime*> runtimes;
        const auto members = group_members(g, runtimes);
        const auto self = static_cast<std::size_t>(
            std::find(runtimes.begin(), runtimes.end(), &rt) - runtimes.begin());
        const auto decisions = vrrp::sync_group_decide(members, {self, from, to});
        if (!decisions.empty()) {
            log_.info("VRRP_Group(" + g.name + ") Syncing instances to " + vrrp::to_string(to) + " state");
            notify_group(g, to);
        }
        for (const auto& d : decisions) {
            Runtime& m = *runtimes[d.member];
            const State before = m.sm.state();
            switch (d.what) {
                case vrrp::SyncAction::force_master: execute(m, m.sm.force_master(now_us), now_us); break;
                case vrrp::SyncAction::force_backup: execute(m, m.sm.force_backup(now_us), now_us); break;
                case vrrp::SyncAction::set_fault: execute(m, m.sm.set_fault(now_us, true), now_us); break;
                case vrrp::SyncAction::clear_fault: execute(m, m.sm.set_fault(now_us, false), now_us); break;
            }
            if (m.sm.state() != before) on_state_change(m, before, now_us);
        }
    }
}

void VrrpManager::on_frame(std::uint16_t port, std::span<const std::uint8_t> frame, std::uint64_t now_us) {
    std::size_t l2 = 14;
    if (frame.size() < l2) {
        unmatched_drops_[vrrp::drop_index(vrrp::RxDrop::truncated)]++;
        return;
    }
    std::uint16_t type = static_cast<std::uint16_t>(frame[12] << 8 | frame[13]);
    if (type == kEtherTypeVlan && frame.size() >= 18) {
        type = static_cast<std::uint16_t>(frame[16] << 8 | frame[17]);
        l2 = 18;
    }
    if (type != kEtherTypeIpv4) {
        unmatched_drops_[vrrp::drop_index(vrrp::RxDrop::bad_ip_header)]++;
        return;
    }
    const auto r = vrrp::receive(frame.subspan(l2), port, rx_);
    if (r.instance < 0 || static_cast<std::size_t>(r.instance) >= instances_.size()) {
        unmatched_drops_[vrrp::drop_index(r.drop)]++;
        return;
    }
    Runtime& rt = instances_[static_cast<std::size_t>(r.instance)];
    vrrp::count_received(rt.counters, r);
    if (!r.ok()) {
        return;
    }
    if (r.addresses_differ) {
        if (!rt.addresses_differ_logged) {
            log_.warning("(" + rt.cfg.name + ") advert from " + r.src.to_string() +
                         " lists different virtual addresses than ours; accepted (check both configurations)");
            rt.addresses_differ_logged = true;
        }
    }
    if (log_.enabled(config::LogLevel::trace)) {
        log_.log(config::LogLevel::trace, "(" + rt.cfg.name + ") advert from " + r.src.to_string() + " priority " +
                                              std::to_string(r.advert.priority) + " at " + std::to_string(now_us));
    }
    const State from = rt.sm.state();
    execute(rt, rt.sm.on_advert(now_us, vrrp::to_received_advert(r)), now_us);
    if (rt.sm.state() == State::backup && r.advert.priority != 0) rt.master_address = r.src;
    if (rt.sm.state() != from) on_state_change(rt, from, now_us);
}

void VrrpManager::poll(std::uint64_t now_us) {
    run_scripts(now_us);
    update_tracking(now_us);
    for (auto& rt : instances_) {
        if (const auto d = rt.sm.next_deadline(); d && now_us >= *d) {
            const State from = rt.sm.state();
            // A timer served late means this thread was starved: the cause of
            // spurious failovers, so it is reported, not hidden.
            const std::uint64_t late = now_us - *d;
            if (late > interval_cs(rt.cfg.advert_int) * 10'000ull / 2) {
                log_.warning("(" + rt.cfg.name + ") VRRP timer served " + std::to_string(late / 1000) +
                             " ms late: the control thread was starved");
            } else if (log_.enabled(config::LogLevel::debug)) {
                log_.debug("(" + rt.cfg.name + ") timer " + std::to_string(late) + " us late");
            }
            execute(rt, rt.sm.on_timer(now_us), now_us);
            if (rt.sm.state() != from) on_state_change(rt, from, now_us);
        }
        if (rt.sm.state() != State::master) continue;
        if (rt.garp_repeat_at && now_us >= *rt.garp_repeat_at) {
            rt.garp_repeat_at.reset();
            send_garps(rt);
        }
        if (rt.garp_refresh_at && now_us >= *rt.garp_refresh_at) {
            rt.garp_refresh_at = now_us + seconds_us(rt.cfg.garp_master_refresh);
            send_garps(rt);
        }
    }
}

std::optional<std::uint64_t> VrrpManager::next_wakeup_us() const {
    std::optional<std::uint64_t> next;
    auto take = [&next](std::optional<std::uint64_t> t) {
        if (t && (!next || *t < *next)) next = t;
    };
    for (const auto& rt : instances_) {
        take(rt.sm.next_deadline());
        take(rt.garp_repeat_at);
        take(rt.garp_refresh_at);
    }
    if (runner_ != nullptr) {
        for (const auto& [name, s] : scripts_) {
            if (!s.running && !s.argv.empty()) take(s.next_run_us);
        }
    }
    return next;
}

void VrrpManager::run_scripts(std::uint64_t now_us) {
    if (runner_ == nullptr) return;
    for (auto& [name, s] : scripts_) {
        if (s.running || s.argv.empty() || now_us < s.next_run_us) continue;
        const bool tracked = std::any_of(instances_.begin(), instances_.end(), [&name](const Runtime& rt) {
            return std::any_of(rt.cfg.track_script.begin(), rt.cfg.track_script.end(),
                               [&name](const config::TrackScript& t) { return t.name == name; });
        });
        if (!tracked) continue;
        if (global_.enable_script_security && ::geteuid() == 0) {
            if (const auto problem = process::script_security_problem(s.argv.front())) {
                log_.error("VRRP_Script(" + name + "): " + *problem + "; disabled (enable_script_security)");
                s.argv.clear();
                continue;
            }
        }
        s.running = true;
        s.next_run_us = now_us + seconds_us(s.cfg.interval);
        process::ProcessSpec spec;
        spec.argv = s.argv;
        spec.user = s.cfg.user.empty() ? global_.script_user : s.cfg.user;
        const double timeout = s.cfg.timeout > 0 ? s.cfg.timeout : s.cfg.interval;
        spec.timeout = std::chrono::milliseconds(std::llround(timeout * 1000.0));
        const std::string script_name = name;
        runner_->run(std::move(spec), [this, script_name](const process::ProcessResult& result) {
            auto it = scripts_.find(script_name);
            if (it == scripts_.end()) return;  // removed by a reload meanwhile
            ScriptState& st = it->second;
            st.running = false;
            if (st.tracker.on_result(result.succeeded())) {
                if (st.tracker.state() == vrrp::ScriptState::up)
                    log_.info("VRRP_Script(" + script_name + ") succeeded");
                else
                    log_.info("VRRP_Script(" + script_name + ") failed (" + process::describe(result) + ")");
            }
        });
    }
}

void VrrpManager::update_tracking(std::uint64_t now_us) {
    for (auto& rt : instances_) {
        std::vector<vrrp::TrackedObject> objects;
        for (const auto& t : rt.cfg.track_script) {
            auto it = scripts_.find(t.name);
            if (it == scripts_.end()) continue;
            objects.push_back(it->second.tracker.object("script " + t.name, t.weight.value_or(it->second.cfg.weight)));
        }
        for (const auto& name : rt.cfg.track_interface) {
            const auto it = std::find(port_names_.begin(), port_names_.end(), name);
            const bool up = it == port_names_.end() || !io_.link_up ||
                            io_.link_up(static_cast<std::uint16_t>(it - port_names_.begin()));
            objects.push_back({"interface " + name, 0, up});
        }
        for (const auto& name : rt.cfg.track_service) {
            const bool up = io_.service_up ? io_.service_up(name) : true;
            objects.push_back({"service " + name, rt.cfg.track_service_weight, up});
        }
        const auto result = vrrp::track(rt.cfg.priority, objects);
        if (result.failing != rt.tracking.failing) {
            for (const auto& f : result.failing) {
                if (std::find(rt.tracking.failing.begin(), rt.tracking.failing.end(), f) == rt.tracking.failing.end())
                    log_.info("(" + rt.cfg.name + ") tracked " + f + " is down");
            }
            for (const auto& f : rt.tracking.failing) {
                if (std::find(result.failing.begin(), result.failing.end(), f) == result.failing.end())
                    log_.info("(" + rt.cfg.name + ") tracked " + f + " is up again");
            }
        }
        rt.tracking = result;
        const State from = rt.sm.state();
        if (result.fault) {
            execute(rt, rt.sm.set_fault(now_us, true), now_us);
        } else {
            execute(rt, rt.sm.set_priority(now_us, result.effective_priority), now_us);
            if (!held_by_a_group(rt)) execute(rt, rt.sm.set_fault(now_us, false), now_us);
        }
        if (rt.sm.state() != from) on_state_change(rt, from, now_us);
    }
}

void VrrpManager::notify(const Runtime& rt, State state) {
    const std::string* specific = nullptr;
    switch (state) {
        case State::master: specific = &rt.cfg.notify_master; break;
        case State::backup: specific = &rt.cfg.notify_backup; break;
        case State::fault: specific = &rt.cfg.notify_fault; break;
        case State::init: specific = &rt.cfg.notify_stop; break;
    }
    if (specific != nullptr && !specific->empty()) run_notify(*specific, {});
    if (!rt.cfg.notify.empty()) {
        run_notify(rt.cfg.notify, {"INSTANCE", rt.cfg.name, notify_state_word(state),
                                   std::to_string(rt.sm.effective_priority())});
    }
}

void VrrpManager::notify_group(const config::VrrpSyncGroup& group, State state) {
    const std::string* specific = nullptr;
    switch (state) {
        case State::master: specific = &group.notify_master; break;
        case State::backup: specific = &group.notify_backup; break;
        case State::fault: specific = &group.notify_fault; break;
        case State::init: break;
    }
    if (specific != nullptr && !specific->empty()) run_notify(*specific, {});
    if (!group.notify.empty()) run_notify(group.notify, {"GROUP", group.name, notify_state_word(state), "0"});
}

void VrrpManager::run_notify(const std::string& command, const std::vector<std::string>& args) {
    if (runner_ == nullptr) return;
    run_notify_script(*runner_, log_, global_, {command, args, "notify", true});
}

void VrrpManager::shutdown(std::uint64_t now_us) {
    stopping_ = true;  // every instance stops: no group forcing
    for (auto& rt : instances_) {
        const State from = rt.sm.state();
        execute(rt, rt.sm.shutdown(now_us), now_us);
        if (rt.sm.state() != from) on_state_change(rt, from, now_us);
    }
}

VrrpOwnership VrrpManager::ownership() const {
    VrrpOwnership o;
    for (const auto& rt : instances_) {
        if (rt.sm.state() != State::master) continue;
        for (const auto& p : rt.cfg.virtual_ipaddress) {
            o.held.push_back(p.addr.value);
            if (rt.cfg.use_vmac) o.virtual_macs.push_back({p.addr.value, rt.src_mac});
        }
    }
    return o;
}

std::vector<std::pair<std::uint32_t, std::uint16_t>> VrrpManager::peer_targets() const {
    std::vector<std::pair<std::uint32_t, std::uint16_t>> out;
    for (const auto& rt : instances_) {
        for (const auto& p : rt.cfg.unicast_peer) out.push_back({p.value, rt.port});
    }
    return out;
}

nlohmann::json VrrpManager::status(std::uint64_t now_us) const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& rt : instances_) {
        nlohmann::json j;
        j["name"] = rt.cfg.name;
        j["interface"] = rt.cfg.interface;
        j["virtual_router_id"] = rt.cfg.virtual_router_id;
        j["version"] = rt.cfg.version;
        j["state"] = vrrp::to_string(rt.sm.state());
        j["base_priority"] = rt.cfg.priority;
        j["effective_priority"] = rt.sm.effective_priority();
        j["advert_int"] = rt.cfg.advert_int;
        j["master_adver_interval_cs"] = rt.sm.master_adver_interval_cs();
        j["source_address"] = rt.src_ip.to_string();
        j["master_address"] = rt.master_address ? rt.master_address->to_string() : "";
        j["seconds_since_transition"] =
            rt.last_transition_us == 0 ? -1.0 : static_cast<double>(now_us - rt.last_transition_us) / kUsPerS;
        j["mode"] = rt.cfg.unicast_peer.empty() ? "multicast" : "unicast";
        j["virtual_mac"] = rt.cfg.use_vmac ? std::string(packet::mac_text_view(rt.src_mac.format())) : std::string();
        nlohmann::json vips = nlohmann::json::array();
        for (const auto& p : rt.cfg.virtual_ipaddress) vips.push_back(p.to_string());
        j["virtual_ipaddress"] = vips;
        nlohmann::json peers = nlohmann::json::array();
        for (const auto& p : rt.cfg.unicast_peer) peers.push_back(p.to_string());
        j["unicast_peer"] = peers;
        j["fault"] = rt.tracking.fault;
        j["failing_tracked"] = rt.tracking.failing;
        nlohmann::json counters = nlohmann::json::object();
        vrrp::for_each_counter(rt.counters, [&counters](std::string_view n, std::uint64_t v) { counters[std::string(n)] = v; });
        nlohmann::json drops = nlohmann::json::object();
        vrrp::for_each_drop(rt.counters, [&drops](std::string_view n, std::uint64_t v) { drops[std::string(n)] = v; });
        counters["drops"] = std::move(drops);
        j["counters"] = std::move(counters);
        list.push_back(std::move(j));
    }
    nlohmann::json unmatched = nlohmann::json::object();
    for (std::size_t i = 1; i < unmatched_drops_.size(); ++i) {
        if (unmatched_drops_[i] != 0) unmatched[std::string(vrrp::kRxDropNames[i])] = unmatched_drops_[i];
    }
    return {{"instances", list}, {"unmatched_drops", unmatched}};
}

}  // namespace sluice::controlplane
