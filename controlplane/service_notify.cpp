#include "controlplane/service_notify.h"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdlib>

namespace sluice::controlplane {

std::vector<std::size_t> WorkerHeartbeats::stalled(std::span<const std::uint64_t> polls) {
    std::vector<std::size_t> out;
    if (last_.size() == polls.size()) {
        for (std::size_t i = 0; i < polls.size(); ++i) {
            if (polls[i] == last_[i]) out.push_back(i);
        }
    }
    last_.assign(polls.begin(), polls.end());
    return out;
}

ServiceNotifier::ServiceNotifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    active_ = socket != nullptr && *socket != '\0';
    std::uint64_t usec = 0;
    if (active_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        watchdog_ = std::chrono::microseconds(usec);
    }
}

void ServiceNotifier::send(const std::string& message) {
    if (active_) sd_notify(0, message.c_str());
}

void ServiceNotifier::ready(const std::string& text) { send("READY=1\nSTATUS=" + text); }

void ServiceNotifier::reloading() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const auto usec = static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading");
}

void ServiceNotifier::stopping() { send("STOPPING=1\nSTATUS=stopping"); }

void ServiceNotifier::watchdog() { send("WATCHDOG=1"); }

void ServiceNotifier::status(const std::string& text) { send("STATUS=" + text); }

}  // namespace sluice::controlplane
