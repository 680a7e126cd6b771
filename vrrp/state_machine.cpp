#include "vrrp/state_machine.h"

#include <algorithm>
#include <stdexcept>

#include "vrrp/timers.h"

namespace sluice::vrrp {

namespace {


constexpr std::uint8_t owner_priority = 255;

}  // namespace

const char* to_string(State s) {
    switch (s) {
        case State::init: return "INIT";
        case State::backup: return "BACKUP";
        case State::master: return "MASTER";
        case State::fault: return "FAULT";
    }
    return "?";
}

bool Actions::contains(Action::Kind k) const { return count(k) != 0; }

std::size_t Actions::count(Action::Kind k) const {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [k](const Action& a) { return a.kind == k; }));
}

std::optional<std::uint8_t> Actions::advert_priority() const {
    for (const auto& a : items)
        if (a.kind == Action::Kind::send_advert) return a.priority;
    return std::nullopt;
}

std::vector<std::string> Actions::logs() const {
    std::vector<std::string> out;
    for (const auto& a : items)
        if (a.kind == Action::Kind::log) out.push_back(a.text);
    return out;
}

Instance::Instance(Config cfg)
    : cfg_(std::move(cfg)), priority_(cfg_.priority), master_adver_interval_cs_(cfg_.advert_interval_cs) {
    if (cfg_.version != 2 && cfg_.version != 3)
        throw std::invalid_argument("VRRP version must be 2 or 3");
    if (cfg_.priority == 0) throw std::invalid_argument("VRRP priority must be 1..255");
    if (cfg_.vrid == 0) throw std::invalid_argument("VRID must be 1..255");
    if (cfg_.advert_interval_cs == 0) throw std::invalid_argument("advert interval must be > 0");
    if (cfg_.version == 2 && (cfg_.advert_interval_cs % 100 != 0 || cfg_.advert_interval_cs / 100 > 255))
        throw std::invalid_argument("VRRPv2 advert interval must be whole seconds, 1..255");
    if (cfg_.version == 3 && cfg_.advert_interval_cs > 4095)
        throw std::invalid_argument("VRRPv3 advert interval must be 1..4095 centiseconds");
}

std::uint64_t Instance::skew_us() const {
    return cfg_.version == 2 ? v2_timers(priority_, master_adver_interval_cs_ / 100).skew_us
                             : v3_timers(priority_, master_adver_interval_cs_).skew_us;
}

std::uint64_t Instance::master_down_us() const {
    return cfg_.version == 2 ? v2_timers(priority_, master_adver_interval_cs_ / 100).master_down_us
                             : v3_timers(priority_, master_adver_interval_cs_).master_down_us;
}

void Instance::log(Actions& out, const std::string& text) const {
    out.items.push_back({Action::Kind::log, 0, "(" + cfg_.name + ") " + text});
}

void Instance::send_advert(std::uint64_t now_us, Actions& out) {
    out.items.push_back({Action::Kind::send_advert, priority_, {}});
    deadline_ = now_us + cfg_.advert_interval_cs * 10'000ull;
}

void Instance::enter_master(std::uint64_t now_us, Actions& out) {
    state_ = State::master;
    preempt_until_.reset();
    master_adver_interval_cs_ = cfg_.advert_interval_cs;  // the master's interval is ours
    send_advert(now_us, out);
    out.items.push_back({Action::Kind::send_garp, 0, {}});
    out.items.push_back({Action::Kind::become_master, 0, {}});
    log(out, "Entering MASTER STATE");
}

void Instance::enter_backup(std::uint64_t now_us, Actions& out) {
    state_ = State::backup;
    preempt_until_.reset();
    deadline_ = now_us + master_down_us();
    out.items.push_back({Action::Kind::become_backup, 0, {}});
    log(out, "Entering BACKUP STATE");
}

void Instance::enter_from_init(std::uint64_t now_us, Actions& out) {
    master_adver_interval_cs_ = cfg_.advert_interval_cs;
    if (priority_ == owner_priority)
        enter_master(now_us, out);
    else
        enter_backup(now_us, out);
}

void Instance::adopt_interval(const ReceivedAdvert& adv) {
    // v2 receivers drop interval mismatches before we get here; v3 backups adopt.
    if (cfg_.version == 3 && adv.interval_cs != 0) master_adver_interval_cs_ = adv.interval_cs;
}

Actions Instance::start(std::uint64_t now_us) {
    Actions out;
    if (state_ != State::init) return out;
    if (faulted_) {
        state_ = State::fault;
        deadline_.reset();
        out.items.push_back({Action::Kind::become_fault, 0, {}});
        log(out, "Entering FAULT STATE");
        return out;
    }
    enter_from_init(now_us, out);
    return out;
}

Actions Instance::on_advert(std::uint64_t now_us, const ReceivedAdvert& adv) {
    Actions out;
    if (state_ == State::backup) {
        if (adv.priority == 0) {
            log(out, "Backup received priority 0 advertisement");
            deadline_ = now_us + skew_us();
            return out;
        }
        const bool preempt_wait =
            cfg_.preempt_delay_us != 0 && (!preempt_until_ || now_us < *preempt_until_);
        if (!cfg_.preempt || adv.priority >= priority_ || preempt_wait) {
            if (cfg_.preempt_delay_us != 0) {
                if (adv.priority > priority_)
                    preempt_until_.reset();
                else if (!preempt_until_)
                    preempt_until_ = now_us + cfg_.preempt_delay_us;
            }
            adopt_interval(adv);
            deadline_ = now_us + master_down_us();
        }
        // else: a lower-priority master while we preempt: ignore, Master_Down runs out.
        return out;
    }
    if (state_ == State::master) {
        if (adv.priority == 0) {
            send_advert(now_us, out);
            return out;
        }
        if (adv.src == cfg_.primary_address) return out;  // our own advert looped back
        const bool higher = adv.priority > priority_;
        const bool tie_lost = adv.priority == priority_ && adv.src.value > cfg_.primary_address.value;
        if (higher || tie_lost) {
            if (higher)
                log(out, "Master received advert from " + adv.src.to_string() + " with higher priority " +
                             std::to_string(adv.priority) + ", ours " + std::to_string(priority_));
            else
                log(out, "Master received advert from " + adv.src.to_string() + " with same priority " +
                             std::to_string(adv.priority) + " but higher IP address than ours");
            adopt_interval(adv);
            enter_backup(now_us, out);
            return out;
        }
        log(out, "Received advert from " + adv.src.to_string() + " with lower priority " +
                     std::to_string(adv.priority) + ", ours " + std::to_string(priority_) +
                     ", forcing new election");
        send_advert(now_us, out);
        return out;
    }
    return out;  // init and fault ignore adverts
}

Actions Instance::on_timer(std::uint64_t now_us) {
    Actions out;
    if (!deadline_ || now_us < *deadline_) return out;
    if (state_ == State::backup) {
        log(out, "Receive advertisement timeout");
        enter_master(now_us, out);
    } else if (state_ == State::master) {
        send_advert(now_us, out);
    } else {
        deadline_.reset();
    }
    return out;
}

Actions Instance::shutdown(std::uint64_t now_us) {
    (void)now_us;
    Actions out;
    if (state_ == State::init) return out;
    if (state_ == State::master) {
        out.items.push_back({Action::Kind::send_advert, 0, {}});
        log(out, "sent 0 priority");
    }
    state_ = State::init;
    deadline_.reset();
    preempt_until_.reset();
    out.items.push_back({Action::Kind::become_init, 0, {}});
    log(out, "Entering INIT STATE");
    return out;
}

Actions Instance::set_priority(std::uint64_t now_us, std::uint8_t effective_priority) {
    Actions out;
    const std::uint8_t p =
        cfg_.priority == owner_priority ? owner_priority : std::max<std::uint8_t>(effective_priority, 1);
    if (p == priority_) return out;
    log(out, "Changing effective priority from " + std::to_string(priority_) + " to " + std::to_string(p));
    priority_ = p;
    // A master tells the backups at once so that one may preempt (or stop trying).
    // A backup's new Skew applies from the next Master_Down reset.
    if (state_ == State::master) send_advert(now_us, out);
    return out;
}

Actions Instance::set_fault(std::uint64_t now_us, bool faulted) {
    Actions out;
    if (faulted == faulted_) return out;
    faulted_ = faulted;
    if (faulted) {
        if (state_ == State::init) return out;  // start() will enter fault
        if (state_ == State::master) out.items.push_back({Action::Kind::send_advert, 0, {}});
        state_ = State::fault;
        deadline_.reset();
        preempt_until_.reset();
        out.items.push_back({Action::Kind::become_fault, 0, {}});
        log(out, "Entering FAULT STATE");
    } else if (state_ == State::fault) {
        enter_from_init(now_us, out);
    }
    return out;
}

Actions Instance::force_master(std::uint64_t now_us) {
    Actions out;
    if (state_ == State::backup) enter_master(now_us, out);
    return out;
}

Actions Instance::force_backup(std::uint64_t now_us) {
    Actions out;
    if (state_ == State::master) enter_backup(now_us, out);
    return out;
}

}  // namespace sluice::vrrp
