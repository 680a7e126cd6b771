#pragma once
// VRRP on the control-plane thread: one vrrp::Instance per [[vrrp_instance]],
// fed with the adverts the workers punt, its actions carried out through the
// dataplane (adverts and gratuitous ARPs on the control TX ring, VIP ownership
// by republishing the snapshot), tracked scripts, interfaces and services
// folded into the effective priority, sync groups, notify scripts, counters.
//
// Everything that touches the outside world goes through VrrpIo, so the
// manager runs in unit tests with a fake dataplane and an injected clock.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "controlplane/config/model.h"
#include "controlplane/log.h"
#include "controlplane/snapshot_builder.h"
#include "dataplane/packet/mac_addr.h"
#include "vrrp/counters.h"
#include "vrrp/receive.h"
#include "vrrp/state_machine.h"
#include "vrrp/sync_group.h"
#include "vrrp/tracking.h"

namespace sluice::process {
class ProcessRunner;
}

namespace sluice::controlplane {

using process::ProcessRunner;

// The manager's view of a dataplane port.
struct VrrpPort {
    std::string name;
    dataplane::packet::MacAddr mac;
    std::vector<common::Ipv4Prefix> addresses;  // first = primary
};

struct VrrpIo {
    // Queues one Ethernet frame on a port; false when it could not be queued.
    std::function<bool(std::uint16_t port, std::span<const std::uint8_t> frame)> send_frame;
    // The VIPs this node holds changed: republish the snapshot.
    std::function<void()> ownership_changed;
    // The MAC of an on-link neighbour (unicast peers), if resolved.
    std::function<std::optional<dataplane::packet::MacAddr>(std::uint32_t ip)> neighbour_mac;
    // Link state of a port (track_interface).
    std::function<bool(std::uint16_t port)> link_up;
    // Whether a virtual_server has its healthy-backend quorum (track_service).
    std::function<bool(const std::string& service)> service_up;
    // Adds a virtual MAC to a port's receive filter (use_vmac).
    std::function<void(std::uint16_t port, const dataplane::packet::MacAddr& mac)> add_mac;
};

class VrrpManager {
public:
    // `runner` runs track and notify scripts; null disables them (unit tests).
    VrrpManager(Logger& log, ProcessRunner* runner, VrrpIo io);

    // First call: creates the instances and starts them (owners become master,
    // the others backup). Later calls (reload): an instance whose settings are
    // unchanged keeps its state and timers; a changed one is restarted as if
    // new (a master first resigns with priority 0); a removed one resigns.
    void configure(const config::Config& config, std::span<const VrrpPort> ports, std::uint64_t now_us);

    // One frame a worker punted (from the Ethernet header on).
    void on_frame(std::uint16_t port, std::span<const std::uint8_t> frame, std::uint64_t now_us);

    // Timers, gratuitous-ARP schedule, tracking and scripts. Call at
    // next_wakeup_us() or earlier; cheap when nothing is due.
    void poll(std::uint64_t now_us);
    std::optional<std::uint64_t> next_wakeup_us() const;

    // Graceful stop: every master sends priority 0, notify_stop scripts run.
    void shutdown(std::uint64_t now_us);

    bool empty() const { return instances_.empty(); }
    VrrpOwnership ownership() const;
    // Unicast peers to resolve: (ip, port index).
    std::vector<std::pair<std::uint32_t, std::uint16_t>> peer_targets() const;

    // The "vrrp" API view.
    nlohmann::json status(std::uint64_t now_us) const;
    // State of one instance by name (tests, status).
    std::optional<vrrp::State> state_of(const std::string& name) const;

private:
    struct ScriptState {
        config::VrrpScript cfg;
        std::vector<std::string> argv;  // empty: disabled (bad command or script security)
        vrrp::ScriptTracker tracker;
        std::uint64_t next_run_us = 0;
        bool running = false;
    };
    struct Runtime {
        config::VrrpInstance cfg;
        vrrp::Instance sm;
        std::uint16_t port = 0;
        dataplane::packet::MacAddr src_mac;
        common::Ipv4Addr src_ip;
        vrrp::InstanceCounters counters;
        std::optional<common::Ipv4Addr> master_address;
        std::uint64_t last_transition_us = 0;
        std::uint16_t ip_id = 0;
        std::optional<std::uint64_t> garp_repeat_at;   // garp_master_delay after becoming master
        std::optional<std::uint64_t> garp_refresh_at;  // garp_master_refresh while master
        vrrp::TrackResult tracking;
        std::vector<std::string> sync_groups;  // names of the groups it belongs to
        bool unresolved_peer_logged = false;
        bool addresses_differ_logged = false;
    };

    void start_instance(Runtime& rt, std::uint64_t now_us);
    void execute(Runtime& rt, const vrrp::Actions& actions, std::uint64_t now_us);
    void send_advert(Runtime& rt, std::uint8_t priority);
    void send_garps(Runtime& rt);
    void on_state_change(Runtime& rt, vrrp::State from, std::uint64_t now_us);
    void sync_peers_of(Runtime& rt, vrrp::State from, std::uint64_t now_us);
    std::vector<vrrp::SyncMember> group_members(const config::VrrpSyncGroup& g, std::vector<Runtime*>& runtimes);
    bool held_by_a_group(const Runtime& rt);
    void update_tracking(std::uint64_t now_us);
    void run_scripts(std::uint64_t now_us);
    void notify(const Runtime& rt, vrrp::State state);
    void notify_group(const config::VrrpSyncGroup& group, vrrp::State state);
    void run_notify(const std::string& command, const std::vector<std::string>& args);
    vrrp::RxInstance rx_view(const Runtime& rt) const;
    Runtime* find(const std::string& name);

    Logger& log_;
    ProcessRunner* runner_;
    VrrpIo io_;
    config::Global global_;
    std::vector<config::VrrpSyncGroup> groups_;
    std::vector<std::string> port_names_;         // index = dataplane port index
    std::vector<Runtime> instances_;
    std::vector<vrrp::RxInstance> rx_;            // parallel to instances_
    std::map<std::string, ScriptState> scripts_;  // by vrrp_script name
    std::array<std::uint64_t, vrrp::kRxDropCount> unmatched_drops_{};  // before an instance is known
    bool stopping_ = false;                       // shutdown(): no sync-group forcing
};

}  // namespace sluice::controlplane
