#include "controlplane/health_manager.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "controlplane/check_settings.h"
#include "controlplane/notify_script.h"
#include "controlplane/process/process_runner.h"
#include "controlplane/process/split_command.h"

namespace sluice::controlplane {

namespace {

constexpr std::uint64_t kUsPerS = 1'000'000;
// keepalived starts checking 1 s after start-up (BOOTSTRAP_DELAY), then
// spreads the first checks over `warmup` (default: delay_loop).
constexpr std::uint64_t kBootstrapUs = kUsPerS;

std::uint64_t seconds_us(double s) { return static_cast<std::uint64_t>(std::llround(std::max(s, 0.0) * 1e6)); }

const char* proto_name(config::Protocol p) { return p == config::Protocol::tcp ? "tcp" : "udp"; }

std::string endpoint(common::Ipv4Addr ip, config::Protocol proto, std::uint16_t port) {
    return "[" + ip.to_string() + "]:" + proto_name(proto) + ":" + std::to_string(port);
}

std::uint64_t key_seed(const BackendKey& k) {
    std::uint64_t h = 1469598103934665603ull;
    for (const char c : std::get<0>(k)) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h = (h ^ std::get<1>(k)) * 1099511628211ull;
    h = (h ^ std::get<2>(k)) * 1099511628211ull;
    return h;
}

checks::CheckTiming timing_of(const config::VirtualServer& vs, const config::HealthCheck& c) {
    checks::CheckTiming t;
    t.interval_us = seconds_us(c.delay_loop.value_or(vs.delay_loop));
    t.connect_timeout_us = seconds_us(c.type == config::CheckType::misc ? c.misc_timeout : c.connect_timeout);
    t.retry = c.retry;
    t.delay_before_retry_us = seconds_us(c.delay_before_retry);
    t.rise = c.rise;
    t.fall = c.fall;
    t.warmup_us = t.interval_us;
    t.from_attempt_start = c.type == config::CheckType::misc;
    return t;
}

}  // namespace

struct HealthManager::Backend {
    Backend(boost::asio::io_context& io, BackendKey k) : key(std::move(k)), timer(io) {}

    BackendKey key;
    std::string settings;  // check settings; a reload that changes them restarts the check
    config::Protocol proto = config::Protocol::tcp;
    common::Ipv4Addr vip;
    std::uint16_t vport = 0;
    config::RealServer rs;
    config::HealthCheck check;
    checks::CheckSpec spec;
    checks::CheckTarget target;
    std::unique_ptr<checks::BackendCheck> schedule;
    std::unique_ptr<checks::Checker> attempt;
    boost::asio::steady_timer timer;
    std::uint64_t attempt_id = 0;  // callbacks of an abandoned attempt are ignored
    std::optional<std::uint32_t> dynamic_weight;
    bool has_result = false;
    bool last_success = false;
    std::string last_reason;
    std::chrono::microseconds last_latency{0};
    std::uint64_t last_result_us = 0;
};

struct HealthManager::Service {
    config::VirtualServer vs;
    checks::Quorum quorum;
    checks::ServiceDecision decision;
    std::uint64_t alive = 0;
};

HealthManager::HealthManager(boost::asio::io_context& io, Logger& log, process::ProcessRunner& runner,
                             std::function<void()> states_changed)
    : io_(io), log_(log), runner_(runner), states_changed_(std::move(states_changed)) {}

HealthManager::~HealthManager() { stop(); }

std::uint64_t HealthManager::now_us() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count());
}

HealthManager::Backend* HealthManager::find_backend(const BackendKey& key) {
    const auto it = backends_.find(key);
    return it == backends_.end() ? nullptr : it->second.get();
}

void HealthManager::configure(const config::Config& config) {
    stopped_ = false;
    global_ = config.global;
    const std::uint64_t now = now_us();
    std::map<BackendKey, std::unique_ptr<Backend>> next;
    std::vector<std::unique_ptr<Service>> services;
    for (const auto& vs : config.virtual_servers) {
        const bool initially_up = true;
        for (const auto& rs : vs.real_servers) {
            if (!rs.check) continue;
            BackendKey key{vs.name, rs.address.value, rs.port};
            const std::string settings = check_settings_key(vs, rs);
            auto old = backends_.find(key);
            if (old != backends_.end() && old->second->settings == settings) {
                old->second->rs = rs;
                next.emplace(key, std::move(old->second));
                backends_.erase(old);
                continue;
            }
            auto b = std::make_unique<Backend>(io_, key);
            b->settings = settings;
            b->proto = vs.protocol;
            b->vip = vs.vip;
            b->vport = vs.port;
            b->rs = rs;
            b->check = *rs.check;
            b->spec = check_spec_of(vs, rs, global_);
            b->target = check_target_of(rs);
            b->schedule = std::make_unique<checks::BackendCheck>(
                timing_of(vs, *rs.check), initially_up ? checks::Health::up : checks::Health::down, now + kBootstrapUs,
                key_seed(key));
            next.emplace(key, std::move(b));
        }
        std::unique_ptr<Service> s;
        for (auto& old : services_) {
            if (old && old->vs.name == vs.name && old->vs.quorum == vs.quorum && old->vs.hysteresis == vs.hysteresis) {
                s = std::move(old);
                break;
            }
        }
        if (!s) {
            s = std::make_unique<Service>(Service{vs, checks::Quorum(vs.quorum, vs.hysteresis, true), {}, 0});
        }
        s->vs = vs;
        services.push_back(std::move(s));
    }
    for (auto& [key, b] : backends_) {  // removed, or check settings changed
        boost::system::error_code ec;
        b->timer.cancel(ec);
        if (b->attempt) b->attempt->cancel();
    }
    backends_ = std::move(next);
    services_ = std::move(services);
    overrides_.clear();  // runtime changes last until the next reload
    states_.clear();
    for (auto& s : services_) recompute(*s, false);
    for (auto& [key, b] : backends_) {
        if (!b->attempt) schedule(*b);
    }
}

void HealthManager::stop() {
    stopped_ = true;
    for (auto& [key, b] : backends_) {
        boost::system::error_code ec;
        b->timer.cancel(ec);
        if (b->attempt) {
            b->attempt->cancel();
            b->attempt.reset();
        }
    }
}

void HealthManager::schedule(Backend& b) {
    if (stopped_) return;
    if (const auto o = overrides_.find(b.key); o != overrides_.end() && o->second.kind == checks::OverrideKind::maint) {
        return;  // maintenance: no checks until `enable`
    }
    const std::uint64_t now = now_us();
    const std::uint64_t at = b.schedule->next_attempt_us();
    b.timer.expires_after(std::chrono::microseconds(at > now ? at - now : 0));
    const BackendKey key = b.key;
    b.timer.async_wait([this, key](boost::system::error_code ec) {
        if (ec || stopped_) return;
        if (Backend* x = find_backend(key)) start_attempt(*x);
    });
}

void HealthManager::start_attempt(Backend& b) {
    const std::uint64_t now = now_us();
    const std::uint64_t due = b.schedule->next_attempt_us();
    const std::uint64_t late = now > due ? now - due : 0;
    if (drift_.size() < kDriftSamples) {
        drift_.push_back(late);
    } else {
        drift_[drift_next_] = late;
        drift_next_ = (drift_next_ + 1) % kDriftSamples;
    }
    const std::uint64_t id = ++b.attempt_id;
    b.attempt = checks::make_checker(io_, runner_, b.spec, b.target, tls_);
    const BackendKey key = b.key;
    b.attempt->start([this, key, id](checks::CheckResult r) {
        Backend* x = find_backend(key);
        if (x == nullptr || x->attempt_id != id || stopped_) return;
        on_result(*x, r);
    });
}

void HealthManager::on_result(Backend& b, const checks::CheckResult& r) {
    const std::uint64_t now = now_us();
    b.has_result = true;
    b.last_success = r.success;
    b.last_reason = r.reason;
    b.last_latency = r.latency;
    b.last_result_us = now;
    const auto update = b.schedule->on_result(now, r.success);
    if (r.success) {
        b.dynamic_weight = r.dynamic_weight;  // MISC up without a weight: back to the configured one
    } else if (update.attempt_failed_final) {
        b.dynamic_weight.reset();
    }
    const std::string what = endpoint(b.rs.address, b.proto, b.rs.port) + " to VS " + endpoint(b.vip, b.proto, b.vport);
    if (!r.success && !update.health_changed && log_.enabled(config::LogLevel::debug)) {
        log_.debug("check of " + endpoint(b.rs.address, b.proto, b.rs.port) + " failed (" + r.reason + ")" +
                   (update.will_retry ? "; retrying" : ""));
    }
    if (update.health_changed) {
        if (update.health == checks::Health::down) {
            log_.warning("Removing service " + what + " (check failed: " + r.reason + ")");
            if (!b.rs.notify_down.empty()) run_script(b.rs.notify_down, "notify_down");
        } else {
            log_.info("Adding service " + what + " (check succeeded: " + r.reason + ")");
            if (!b.rs.notify_up.empty()) run_script(b.rs.notify_up, "notify_up");
        }
    }
    for (auto& s : services_) {
        if (s->vs.name == std::get<0>(b.key)) {
            const auto before = states_;
            recompute(*s, true);
            if (states_ != before && states_changed_) states_changed_();
        }
    }
    b.attempt.reset();
    schedule(b);
}

void HealthManager::recompute(Service& s, bool log_changes) {
    std::vector<checks::RealServerInput> inputs;
    for (const auto& rs : s.vs.real_servers) {
        checks::RealServerInput in;
        in.weight = rs.weight;
        in.inhibit_on_failure = rs.inhibit_on_failure;
        if (const Backend* b = find_backend({s.vs.name, rs.address.value, rs.port})) {
            in.health = b->schedule->health();
            in.check_weight = b->dynamic_weight;
        }
        if (const auto o = overrides_.find({s.vs.name, rs.address.value, rs.port}); o != overrides_.end()) {
            in.runtime = o->second;
        }
        inputs.push_back(in);
    }
    s.alive = checks::alive_weight(inputs);
    if (s.quorum.update(s.alive) && log_changes) {
        const std::string vs = endpoint(s.vs.vip, s.vs.protocol, s.vs.port);
        if (s.quorum.up()) {
            log_.info("Gained quorum " + std::to_string(s.quorum.quorum()) + "+" +
                      std::to_string(s.quorum.hysteresis()) + "=" + std::to_string(s.quorum.threshold()) +
                      " <= " + std::to_string(s.alive) + " for VS " + vs);
            if (!s.vs.quorum_up.empty()) run_script(s.vs.quorum_up, "quorum_up");
        } else {
            log_.warning("Lost quorum " + std::to_string(s.quorum.quorum()) + "-" +
                         std::to_string(s.quorum.hysteresis()) + "=" + std::to_string(s.quorum.threshold()) + " > " +
                         std::to_string(s.alive) + " for VS " + vs);
            if (!s.vs.quorum_down.empty()) run_script(s.vs.quorum_down, "quorum_down");
        }
    }
    std::optional<checks::SorryServerInput> sorry;
    if (s.vs.sorry_server) sorry = checks::SorryServerInput{s.vs.sorry_server->weight, false};
    const bool was_sorry = s.decision.sorry_in_use;
    s.decision = checks::decide(inputs, sorry, s.quorum.up());
    if (log_changes && s.decision.sorry_in_use != was_sorry) {
        const std::string vs = endpoint(s.vs.vip, s.vs.protocol, s.vs.port);
        if (s.decision.sorry_in_use)
            log_.warning("VS " + vs + ": no real server available, new connections go to the sorry server " +
                         s.vs.sorry_server->address.to_string());
        else
            log_.info("VS " + vs + ": real servers available again, the sorry server takes no new connections");
    }
    for (std::size_t i = 0; i < s.vs.real_servers.size() && i < s.decision.backends.size(); ++i) {
        const auto& rs = s.vs.real_servers[i];
        const auto& d = s.decision.backends[i];
        BackendRuntime rt;
        switch (d.state) {
            case checks::BackendState::serving: rt = {true, d.weight}; break;
            case checks::BackendState::drained: rt = {true, 0u}; break;
            case checks::BackendState::down_removed: rt = {false, std::nullopt}; break;
            case checks::BackendState::down_inhibited: rt = {false, 0u}; break;
            case checks::BackendState::maint_removed: rt = {false, std::nullopt}; break;
            case checks::BackendState::maint_inhibited: rt = {false, 0u}; break;
            case checks::BackendState::displaced: rt = {true, 0u}; break;
        }
        states_[{s.vs.name, rs.address.value, rs.port}] = rt;
    }
}

void HealthManager::run_script(const std::string& command, const std::string& what) {
    run_notify_script(runner_, log_, global_, {command, {}, what, false});
}

HealthManager::Drift HealthManager::drift() const {
    Drift d;
    if (drift_.empty()) return d;
    auto v = drift_;
    std::sort(v.begin(), v.end());
    d.samples = v.size();
    d.p50_us = v[v.size() / 2];
    d.p99_us = v[std::min(v.size() - 1, v.size() * 99 / 100)];
    d.max_us = v.back();
    return d;
}

std::string HealthManager::set_override(const std::string& service, common::Ipv4Addr address, std::uint16_t port,
                                        checks::RuntimeOverride override_) {
    Service* svc = nullptr;
    for (auto& s : services_) {
        if (s->vs.name == service) svc = s.get();
    }
    if (svc == nullptr) return "no virtual_server named '" + service + "'";
    const auto rs = std::find_if(svc->vs.real_servers.begin(), svc->vs.real_servers.end(),
                                 [&](const config::RealServer& r) { return r.address == address && r.port == port; });
    if (rs == svc->vs.real_servers.end()) {
        return "virtual_server '" + service + "' has no real server " + address.to_string() + ":" + std::to_string(port);
    }
    const BackendKey key{service, address.value, port};
    const auto before = overrides_.find(key);
    const bool was_maint = before != overrides_.end() && before->second.kind == checks::OverrideKind::maint;
    if (override_.kind == checks::OverrideKind::none) {
        overrides_.erase(key);
    } else {
        overrides_[key] = override_;
    }
    std::string what = override_.kind == checks::OverrideKind::none     ? "enabled (back to its configuration)"
                       : override_.kind == checks::OverrideKind::drain  ? "draining (weight 0, checks go on)"
                       : override_.kind == checks::OverrideKind::maint  ? "in maintenance (no traffic, no checks)"
                                                                        : "weight set to " + std::to_string(override_.weight);
    log_.notice("real server " + address.to_string() + ":" + std::to_string(port) + " of '" + service + "' " + what +
                " by the operator, until the next reload");
    if (Backend* b = find_backend(key)) {
        if (override_.kind == checks::OverrideKind::maint) {
            boost::system::error_code ec;
            b->timer.cancel(ec);
            if (b->attempt) {
                b->attempt->cancel();
                b->attempt.reset();
            }
        } else if (was_maint && !b->attempt) {
            schedule(*b);
        }
    }
    const auto states_before = states_;
    recompute(*svc, true);
    if (states_ != states_before && states_changed_) states_changed_();
    return "";
}

bool HealthManager::service_up(const std::string& name) const {
    for (const auto& s : services_) {
        if (s->vs.name == name) return s->quorum.up();
    }
    return false;
}

nlohmann::json HealthManager::status() const {
    const std::uint64_t now = now_us();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : services_) {
        nlohmann::json js;
        js["name"] = s->vs.name;
        js["vip"] = s->vs.vip.to_string();
        js["port"] = s->vs.port;
        js["quorum"] = s->quorum.quorum();
        js["hysteresis"] = s->quorum.hysteresis();
        js["alive_weight"] = s->alive;
        js["quorum_up"] = s->quorum.up();
        js["sorry_server"] = s->vs.sorry_server ? s->vs.sorry_server->address.to_string() : "";
        js["sorry_in_use"] = s->decision.sorry_in_use;
        nlohmann::json backends = nlohmann::json::array();
        for (std::size_t i = 0; i < s->vs.real_servers.size(); ++i) {
            const auto& rs = s->vs.real_servers[i];
            nlohmann::json jb;
            jb["address"] = rs.address.to_string();
            jb["port"] = rs.port;
            jb["configured_weight"] = rs.weight;
            if (const auto o = overrides_.find({s->vs.name, rs.address.value, rs.port}); o != overrides_.end()) {
                switch (o->second.kind) {
                    case checks::OverrideKind::weight: jb["override"] = "weight " + std::to_string(o->second.weight); break;
                    case checks::OverrideKind::drain: jb["override"] = "drain"; break;
                    case checks::OverrideKind::maint: jb["override"] = "maint"; break;
                    case checks::OverrideKind::none: break;
                }
            }
            if (i < s->decision.backends.size()) {
                jb["state"] = std::string(checks::to_string(s->decision.backends[i].state));
                jb["weight"] = s->decision.backends[i].weight;
            }
            const Backend* b = nullptr;
            if (auto it = backends_.find({s->vs.name, rs.address.value, rs.port}); it != backends_.end())
                b = it->second.get();
            if (b == nullptr) {
                jb["check"] = "none";
                jb["health"] = "up";
            } else {
                jb["check"] = check_type_name(b->check.type);
                jb["health"] = b->schedule->health() == checks::Health::up ? "up" : "down";
                jb["since_s"] = static_cast<double>(now - std::min(now, b->schedule->since_us())) / kUsPerS;
                jb["attempts"] = b->schedule->attempts();
                jb["failed_attempts"] = b->schedule->failed_attempts();
                jb["failures"] = b->schedule->failures();
                jb["consecutive_failures"] = b->schedule->consecutive_failures();
                jb["checking"] = b->attempt != nullptr;
                if (b->has_result) {
                    jb["last_result"] = {{"success", b->last_success},
                                         {"reason", b->last_reason},
                                         {"latency_ms", static_cast<double>(b->last_latency.count()) / 1000.0},
                                         {"seconds_ago", static_cast<double>(now - b->last_result_us) / kUsPerS}};
                }
                if (b->dynamic_weight) jb["dynamic_weight"] = *b->dynamic_weight;
            }
            backends.push_back(std::move(jb));
        }
        js["real_servers"] = std::move(backends);
        list.push_back(std::move(js));
    }
    const Drift d = drift();
    return {{"services", list},
            {"scheduling",
             {{"samples", d.samples},
              {"p50_ms", static_cast<double>(d.p50_us) / 1000.0},
              {"p99_ms", static_cast<double>(d.p99_us) / 1000.0},
              {"max_ms", static_cast<double>(d.max_us) / 1000.0}}}};
}

}  // namespace sluice::controlplane
