#pragma once
// Health checks on the control-plane thread: one check schedule
// (checks::BackendCheck) and one asynchronous checker per real server with a
// [virtual_server.real_server.check], all on the one Boost.Asio loop. Results
// move backends up and down, feed each virtual server's quorum, run the
// notify and quorum scripts, and end up in the dataplane snapshot through
// states() (the daemon republishes when states_changed fires).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "checks/backend_weights.h"
#include "checks/check_schedule.h"
#include "checks/checker.h"
#include "checks/quorum.h"
#include "checks/tls_context_cache.h"
#include "controlplane/backend_state.h"
#include "controlplane/config/model.h"
#include "controlplane/log.h"

namespace sluice::process {
class ProcessRunner;
}

namespace sluice::controlplane {

class HealthManager {
public:
    using Clock = std::chrono::steady_clock;

    HealthManager(boost::asio::io_context& io, Logger& log, process::ProcessRunner& runner,
                  std::function<void()> states_changed);
    ~HealthManager();
    HealthManager(const HealthManager&) = delete;
    HealthManager& operator=(const HealthManager&) = delete;

    // Starts checking (first call) or follows a reload: a real server whose
    // check settings are unchanged keeps its state and schedule; new ones start
    // from up (keepalived's default) after a warm-up; removed ones stop.
    void configure(const config::Config& config);
    void stop();

    // What the snapshot builder publishes for every real server.
    const BackendStates& states() const { return states_; }
    // Whether a virtual server has its quorum (VRRP track_service).
    bool service_up(const std::string& name) const;

    // Runtime changes without a reload (sluicectl set-weight/drain/maint/
    // enable): `weight` replaces the configured weight; `drain` is weight 0
    // with checks going on (existing connections finish); `maint` takes no
    // traffic and stops the real server's checks; `none` (enable) goes back to
    // the configuration. They last until the next reload. Returns "" or why
    // not (unknown virtual server or real server).
    std::string set_override(const std::string& service, common::Ipv4Addr address, std::uint16_t port,
                             checks::RuntimeOverride override_);

    nlohmann::json status() const;

    // How late attempts start against their schedule (the last kDriftSamples),
    // in microseconds: an overloaded control thread shows here first.
    struct Drift {
        std::size_t samples = 0;
        std::uint64_t p50_us = 0;
        std::uint64_t p99_us = 0;
        std::uint64_t max_us = 0;
    };
    Drift drift() const;
    static constexpr std::size_t kDriftSamples = 4096;

private:
    struct Backend;
    struct Service;

    void schedule(Backend& b);
    void start_attempt(Backend& b);
    void on_result(Backend& b, const checks::CheckResult& r);
    void recompute(Service& s, bool log_changes);
    void run_script(const std::string& command, const std::string& what);
    Backend* find_backend(const BackendKey& key);
    static std::uint64_t now_us();

    boost::asio::io_context& io_;
    Logger& log_;
    process::ProcessRunner& runner_;
    std::function<void()> states_changed_;
    config::Global global_;
    std::vector<std::unique_ptr<Service>> services_;
    std::map<BackendKey, std::unique_ptr<Backend>> backends_;
    BackendStates states_;
    std::map<BackendKey, checks::RuntimeOverride> overrides_;  // until the next reload
    checks::TlsContextCache tls_;  // one TLS context per (verify, CA file), shared by the HTTPS checks
    std::vector<std::uint64_t> drift_;  // ring of the last kDriftSamples lateness values
    std::size_t drift_next_ = 0;
    bool stopped_ = false;
};

}  // namespace sluice::controlplane
