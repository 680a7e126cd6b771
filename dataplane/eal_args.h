#pragma once
// Builds the EAL command line from the settings (pure: no EAL, testable).

#include <string>
#include <vector>

#include "common/device_name.h"
#include "dataplane/hugepages.h"
#include "dataplane/settings.h"

namespace sluice::dataplane {

using common::device_name;

struct EalPlan {
    std::vector<std::string> args;      // argv, args[0] is the program name
    std::string file_prefix;            // unique per process
    bool use_hugepages = false;
    std::vector<std::string> warnings;  // e.g. the --no-huge fallback
    std::string error;                  // non-empty: cannot start (e.g. hugepages required)
};

// Below this many free megabytes of hugepages, "automatic" falls back to --no-huge.
inline constexpr std::uint64_t kMinHugepageMb = 64;

// True for a PCI address such as "0000:01:00.0" or "01:00.0".
bool is_pci_address(const std::string& device);

// The device string handed to the EAL: af_packet devices get one queue pair per
// worker ("qpairs=N") unless the operator set qpairs.
std::string device_args_for_workers(const std::string& device, std::size_t workers);

// `cpus`: CPUs this process may run on. An lcore id at or beyond it is mapped
// onto CPU (id % cpus), with a warning: useful on small test hosts, a
// performance bug in production.
EalPlan build_eal_args(const DataplaneSettings& settings, const HugepageInfo& hugepages, int pid,
                       unsigned cpus = 0);

}  // namespace sluice::dataplane
