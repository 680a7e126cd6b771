#pragma once
// sluiced's control-plane thread: one Boost.Asio event loop on the EAL's main
// lcore serving the API and handling signals while the workers poll.

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "controlplane/api_server.h"
#include "controlplane/conns_query.h"
#include "controlplane/config/model.h"
#include "controlplane/health_manager.h"
#include "controlplane/log.h"
#include "controlplane/metrics_server.h"
#include "controlplane/neighbour_manager.h"
#include "controlplane/process/process_runner.h"
#include "controlplane/rate_window.h"
#include "controlplane/service_notify.h"
#include "controlplane/slot_allocator.h"
#include "controlplane/vrrp_manager.h"
#include "dataplane/dataplane.h"

namespace sluice::controlplane {

struct DaemonInfo {
    std::string config_file;            // absolute path
    std::string eal_file_prefix;
    bool hugepages = false;
    std::vector<std::string> warnings;  // shown by `sluicectl status`
};

class Daemon {
public:
    Daemon(config::Config config, DaemonInfo info, dataplane::Dataplane& dataplane, Logger& log);

    // Opens the API socket, then the metrics endpoint when metrics_listen is
    // set; both must succeed before the dataplane is started so a second
    // daemon with the same socket or address fails before touching any port.
    bool open_api(std::string& error);

    // After the dataplane started: compiles and publishes the first snapshot
    // and starts neighbour resolution. False with `error` when the
    // configuration cannot be compiled.
    bool start_forwarding(std::string& error);

    // Re-reads the configuration file. An invalid file, or one whose
    // [dataplane] section changed (ports and lcores need a restart), changes
    // nothing; every problem is logged and returned. A valid one is compiled
    // and published: services and backends are added, removed and reweighted
    // without touching established connections.
    bool reload(std::vector<std::string>& problems);

    // Runs the event loop until SIGTERM or SIGINT, then stops the dataplane and
    // closes the API. Returns the process exit code (0 on a clean stop).
    int run();

private:
    nlohmann::json handle(const nlohmann::json& request);
    nlohmann::json status() const;
    nlohmann::json runtime_change(const std::string& command, const nlohmann::json& args);
    // `list` and `conns` (sluicectl list/conns): conns is answered later, once
    // the workers copied their connections.
    nlohmann::json list(const nlohmann::json& args) const;
    bool conns(const nlohmann::json& request, const ApiServer::Reply& reply);
    void on_signal(int signo);
    void on_tick();
    bool publish(const config::Config& config, std::string& error, bool quiet = false);
    bool apply_reload(std::vector<std::string>& problems);
    void wait_signal();
    // VRRP: the manager's view of the ports, its I/O, its loop and ownership.
    std::vector<VrrpPort> vrrp_ports() const;
    VrrpIo vrrp_io();
    VrrpOwnership vrrp_ownership() const { return vrrp_.ownership(); }
    void publish_ownership();
    void on_vrrp_tick();
    void wait_punted();
    void stop_after_scripts(std::chrono::steady_clock::time_point deadline);
    static std::uint64_t now_us();

    config::Config config_;
    SlotAllocator slots_;
    std::uint64_t generation_ = 0;
    std::uint64_t reloads_ = 0;
    DaemonInfo info_;
    dataplane::Dataplane& dataplane_;
    Logger& log_;
    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    boost::asio::io_context io_;
    boost::asio::signal_set signals_;
    ApiServer api_;
    NeighbourManager neighbours_;
    boost::asio::steady_timer tick_;
    process::ProcessRunner runner_;
    HealthManager health_;
    VrrpManager vrrp_;
    boost::asio::steady_timer vrrp_timer_;
    boost::asio::posix::stream_descriptor punt_wakeup_;  // dup of the dataplane's eventfd
    MetricsServer metrics_;                              // opened only when metrics_listen is set
    ServiceNotifier notifier_;
    WorkerHeartbeats heartbeats_;
    std::chrono::steady_clock::time_point next_watchdog_{};
    void watchdog_tick();
    bool stopping_ = false;
    // Counter samples for per-second rates: one a second (every 50th tick), the last 10.
    RateWindow rates_{10};
    unsigned ticks_ = 0;
    ConnsQuery conns_{io_, dataplane_};
};

}  // namespace sluice::controlplane
