#pragma once
// The `status` API result as JSON (pure: built from plain values, tested alone).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataplane/status.h"

namespace sluice::controlplane {

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
};

nlohmann::json status_to_json(const StatusInfo& info);

}  // namespace sluice::controlplane
