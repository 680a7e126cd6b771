#pragma once
// The `status` API result as JSON (pure: built from plain values, tested alone).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataplane/dataplane.h"
#include "dataplane/status.h"

namespace sluice::controlplane {

struct BackendStatus {
    std::string address;
    std::uint16_t port = 0;
    std::uint32_t weight = 0;
    dataplane::TrafficTotals stats;
};

struct ServiceStatus {
    std::string name;
    std::string vip;
    std::uint16_t port = 0;
    std::string protocol;
    std::string scheduler;
    std::string method;
    dataplane::TrafficTotals stats;
    std::vector<BackendStatus> backends;
};

struct StatusInfo {
    std::string version;
    std::string node_name;
    long pid = 0;
    double uptime_s = 0;
    std::string config_file;
    bool hugepages = false;
    std::string eal_file_prefix;
    std::vector<dataplane::PortStatus> ports;
    std::vector<dataplane::WorkerStatus> workers;
    std::vector<std::string> warnings;
    dataplane::ForwardTotals forward;
    std::vector<ServiceStatus> services;
};

nlohmann::json status_to_json(const StatusInfo& info);

}  // namespace sluice::controlplane
