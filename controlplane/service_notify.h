#pragma once
// systemd's service notification protocol (sd_notify(3)) for a Type=notify
// unit: READY=1 once forwarding, RELOADING=1 (with MONOTONIC_USEC) and READY=1
// around a reload, STOPPING=1 on the way out, and WATCHDOG=1 only while every
// dataplane worker's heartbeat advances, so a stalled worker gets the service
// restarted. Everything is a no-op when not started by systemd
// ($NOTIFY_SOCKET unset).

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sluice::controlplane {

// Pure: remembers each worker's last heartbeat (its poll counter) and says
// which workers have not advanced since the previous call.
class WorkerHeartbeats {
public:
    // Indices of workers whose counter did not move since the last call (all
    // are healthy on the first call, and when the worker count changes).
    std::vector<std::size_t> stalled(std::span<const std::uint64_t> polls);

private:
    std::vector<std::uint64_t> last_;
};

class ServiceNotifier {
public:
    ServiceNotifier();

    bool active() const { return active_; }
    // The watchdog interval systemd asked for ($WATCHDOG_USEC), if any; pings
    // go out at half of it.
    std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_; }

    void ready(const std::string& status);
    void reloading();
    void stopping();
    void watchdog();
    void status(const std::string& text);

private:
    void send(const std::string& message);

    bool active_ = false;
    std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace sluice::controlplane
