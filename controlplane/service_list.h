#pragma once
// The `list` API result (like `ipvsadm -Ln`, with --stats and --rate): per
// virtual service its scheduler, flags and method, per real server its
// published weight, active/inactive connections, health and state from the
// health manager, and optionally totals and per-second rates. Also the
// once-a-second sampling that feeds the rates.

#include <nlohmann/json.hpp>

#include "controlplane/config/model.h"
#include "controlplane/rate_window.h"
#include "dataplane/dataplane.h"

namespace sluice::controlplane {

struct ListOptions {
    bool stats = false;
    bool rate = false;
};

// `checks` is HealthManager::status(): health, state and overrides by real server.
nlohmann::json service_list(const config::Config& config, const dataplane::Dataplane& dataplane,
                            const nlohmann::json& checks, const RateWindow& rates,
                            ListOptions options);

// Adds one sample per service, real server and worker at `t_s` seconds.
void sample_counters(RateWindow& rates, const config::Config& config,
                     const dataplane::Dataplane& dataplane, double t_s);

// Rate-window keys.
std::string service_rate_key(const std::string& service);
std::string backend_rate_key(const std::string& service, const std::string& address,
                             std::uint16_t port);
std::string worker_rate_key(std::uint32_t lcore);

}  // namespace sluice::controlplane
