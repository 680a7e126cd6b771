#pragma once
// The VRRP state machine of RFC 5798 section 6.4 (and RFC 3768 for v2) as a pure
// class: no I/O, no clock of its own. The caller feeds events stamped with a
// monotonic time in microseconds and carries out the returned actions in order.
// Timers: one deadline at a time (Master_Down in backup, Adver in master); the
// caller calls on_timer() once now >= next_deadline().

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ipv4.h"

namespace sluice::vrrp {

enum class State : std::uint8_t { init, backup, master, fault };

const char* to_string(State s);

struct Config {
    std::string name = "VI_1";          // instance name used in log lines
    std::uint8_t vrid = 1;
    std::uint8_t version = 3;           // 2 or 3
    std::uint8_t priority = 100;        // 1..255; 255 = address owner
    std::uint32_t advert_interval_cs = 100;  // centiseconds; v2: a multiple of 100
    bool preempt = true;
    std::uint64_t preempt_delay_us = 0;
    common::Ipv4Addr primary_address;   // our source address, for tie-breaks
    bool accept_mode = false;
};

// An advert that already passed the receive checks (TTL, checksum, VRID, ...).
struct ReceivedAdvert {
    common::Ipv4Addr src;
    std::uint8_t priority = 0;
    std::uint32_t interval_cs = 0;      // as advertised (v2: seconds * 100); ignored in v2
};

struct Action {
    enum class Kind : std::uint8_t {
        send_advert,     // priority: the priority to advertise (0 = resigning)
        send_garp,       // gratuitous ARP for every VIP
        become_master,   // install VIPs, answer ARP
        become_backup,   // remove VIPs, stop answering ARP
        become_init,     // stopped (after shutdown)
        become_fault,    // a tracked object failed
        log,             // text: keepalived's phrasing, "(VI_1) Entering MASTER STATE"
    };
    Kind kind;
    std::uint8_t priority = 0;
    std::string text;

    bool operator==(const Action&) const = default;
};

struct Actions {
    std::vector<Action> items;

    bool empty() const { return items.empty(); }
    bool contains(Action::Kind k) const;
    std::size_t count(Action::Kind k) const;
    // The priority of the first send_advert, if any.
    std::optional<std::uint8_t> advert_priority() const;
    std::vector<std::string> logs() const;
};

class Instance {
public:
    // Throws std::invalid_argument on a config the protocol cannot run.
    explicit Instance(Config cfg);

    Actions start(std::uint64_t now_us);
    Actions on_advert(std::uint64_t now_us, const ReceivedAdvert& adv);
    Actions on_timer(std::uint64_t now_us);
    Actions shutdown(std::uint64_t now_us);
    // Effective priority after track weights, clamped to 1..255. An owner
    // (configured 255) keeps 255.
    Actions set_priority(std::uint64_t now_us, std::uint8_t effective_priority);
    // Track failure (true) moves to fault, resigning mastership with priority 0;
    // recovery (false) restarts as from init: owner -> master, otherwise backup.
    Actions set_fault(std::uint64_t now_us, bool faulted);
    // Sync groups (vrrp/sync_group.h). force_master: a backup becomes master
    // because another member of its group did; the same actions as a
    // Master_Down takeover (advert, gratuitous ARP, become_master, "Entering
    // MASTER STATE"). force_backup: a master steps down because another member
    // did; becomes backup with Master_Down running, without a priority-0
    // advert. Each is a no-op in init and fault, and in the state it asks for.
    Actions force_master(std::uint64_t now_us);
    Actions force_backup(std::uint64_t now_us);

    State state() const { return state_; }
    std::optional<std::uint64_t> next_deadline() const { return deadline_; }
    std::uint32_t master_adver_interval_cs() const { return master_adver_interval_cs_; }
    std::uint8_t effective_priority() const { return priority_; }
    const Config& config() const { return cfg_; }
    // Whether traffic to the VIPs should be accepted (master with accept mode, or owner).
    bool accepts_vip_traffic() const {
        return state_ == State::master && (cfg_.accept_mode || cfg_.priority == 255);
    }

    std::uint64_t skew_us() const;
    std::uint64_t master_down_us() const;

private:
    void enter_master(std::uint64_t now_us, Actions& out);
    void enter_backup(std::uint64_t now_us, Actions& out);
    void enter_from_init(std::uint64_t now_us, Actions& out);
    void send_advert(std::uint64_t now_us, Actions& out);
    void adopt_interval(const ReceivedAdvert& adv);
    void log(Actions& out, const std::string& text) const;

    Config cfg_;
    State state_ = State::init;
    std::uint8_t priority_;
    std::uint32_t master_adver_interval_cs_;
    std::optional<std::uint64_t> deadline_;
    std::optional<std::uint64_t> preempt_until_;  // keepalived's preempt_time
    bool faulted_ = false;
};

}  // namespace sluice::vrrp
