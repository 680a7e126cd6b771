#pragma once
// The metrics endpoint's page: the Prometheus text format (0.0.4) rendered
// from the JSON the API already answers (pure, tested alone).
//
// Names follow what operators know: node_exporter's IPVS metrics for services
// and backends, the keepalived exporter's for VRRP; plus health checks,
// dataplane drops by reason, ports and workers. Labels name services,
// backends, instances, ports and lcores, never a connection.

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::controlplane {

struct MetricsSources {
    nlohmann::json status;  // status_to_json() (+ the daemon's own keys)
    nlohmann::json vrrp;    // VrrpManager::status()
    nlohmann::json checks;  // HealthManager::status()
};

std::string render_metrics(const MetricsSources& sources);

}  // namespace sluice::controlplane
