#include "dataplane/eal_args.h"

#include <cctype>

namespace sluice::dataplane {

bool is_pci_address(const std::string& device) {
    // [dddd:]bb:dd.f, hex digits; options after a comma are allowed.
    const std::string name(device_name(device));
    const auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    std::size_t i = 0;
    const auto hex_run = [&](std::size_t n) {
        for (std::size_t k = 0; k < n; ++k, ++i) {
            if (i >= name.size() || !is_hex(name[i])) {
                return false;
            }
        }
        return true;
    };
    const bool with_domain = name.size() == 12;
    if (with_domain && !(hex_run(4) && i < name.size() && name[i++] == ':')) {
        return false;
    }
    return (with_domain || name.size() == 7) && hex_run(2) && name[i++] == ':' && hex_run(2) &&
           name[i++] == '.' && i < name.size() && name[i] >= '0' && name[i] <= '7' &&
           i + 1 == name.size();
}

std::string device_args_for_workers(const std::string& device, std::size_t workers) {
    if (!device.starts_with("net_af_packet") || device.find("qpairs=") != std::string::npos) {
        return device;
    }
    return device + (device.ends_with(',') ? "" : ",") + "qpairs=" + std::to_string(workers);
}

EalPlan build_eal_args(const DataplaneSettings& settings, const HugepageInfo& hugepages, int pid,
                       unsigned cpus) {
    EalPlan plan;
    plan.file_prefix = "sluice-" + settings.node_name + "-" + std::to_string(pid);
    auto& a = plan.args;
    a.emplace_back("sluiced");

    std::vector<std::uint32_t> all{settings.main_lcore};
    all.insert(all.end(), settings.worker_lcores.begin(), settings.worker_lcores.end());
    bool oversubscribed = false;
    std::string lcores;
    for (const auto l : all) {
        oversubscribed = oversubscribed || (cpus != 0 && l >= cpus);
        lcores += (lcores.empty() ? "" : ",") + std::to_string(l);
    }
    if (oversubscribed) {
        // --lcores maps each lcore id to a CPU: "0@0,1@1,2@0".
        std::string map;
        for (const auto l : all) {
            map += (map.empty() ? "" : ",") + std::to_string(l) + "@" + std::to_string(l % cpus);
        }
        a.insert(a.end(), {"--lcores", map, "--main-lcore", std::to_string(settings.main_lcore)});
        plan.warnings.push_back("lcores " + lcores + " exceed the " + std::to_string(cpus) +
                                " CPUs available: mapped as " + map +
                                "; workers share CPUs, so expect lower and uneven throughput");
    } else {
        a.insert(a.end(), {"-l", lcores, "--main-lcore", std::to_string(settings.main_lcore)});
    }
    a.insert(a.end(), {"--file-prefix", plan.file_prefix});
    // The API socket serves every counter; DPDK's telemetry socket would be a
    // second, unauthenticated endpoint and a file left behind at exit.
    a.emplace_back("--no-telemetry");
    const bool have_huge = hugepages.hugetlbfs_mounted && hugepages.free_mb() >= kMinHugepageMb;
    switch (settings.hugepages) {
        case HugepageMode::required:
            if (!have_huge) {
                plan.error = "hugepages = \"on\" but " +
                             (hugepages.hugetlbfs_mounted
                                  ? std::to_string(hugepages.free_mb()) + " MiB of hugepages are free"
                                  : std::string("no hugetlbfs is mounted")) +
                             " (need at least " + std::to_string(kMinHugepageMb) +
                             " MiB); reserve some (scripts/setup does) or set hugepages = \"auto\"";
                return plan;
            }
            plan.use_hugepages = true;
            break;
        case HugepageMode::automatic:
            plan.use_hugepages = have_huge;
            if (!have_huge) {
                plan.warnings.push_back(
                    "no hugepages available (" +
                    (hugepages.hugetlbfs_mounted
                         ? std::to_string(hugepages.free_mb()) + " MiB free"
                         : std::string("hugetlbfs not mounted")) +
                    "): running with --no-huge and " + std::to_string(settings.memory_mb) +
                    " MiB of ordinary memory; packet rates will be lower. Reserve hugepages "
                    "with scripts/setup");
            }
            break;
        case HugepageMode::disabled:
            plan.use_hugepages = false;
            break;
    }
    if (plan.use_hugepages) {
        // --in-memory: no shared config or hugepage files on disk, so nothing is
        // left behind even when the process is killed (implies --huge-unlink).
        a.emplace_back("--in-memory");
    } else {
        // --no-huge uses anonymous memory (no files); it rules out --in-memory, and
        // --no-shconf keeps the shared config file off the disk as well.
        a.insert(a.end(), {"--no-huge", "-m", std::to_string(settings.memory_mb), "--no-shconf"});
    }

    bool any_pci = false;
    for (const auto& port : settings.ports) {
        if (is_pci_address(port.device)) {
            any_pci = true;
            a.insert(a.end(), {"-a", port.device});
        } else {
            a.insert(a.end(),
                     {"--vdev", device_args_for_workers(port.device, settings.worker_lcores.size())});
        }
    }
    for (std::size_t i = 0; i < settings.ports.size(); ++i) {
        if (settings.ports[i].exception_path) {
            a.insert(a.end(), {"--vdev", exception_device(i) + ",iface=" + exception_interface(settings.ports[i].name)});
        }
    }
    if (!any_pci) {
        a.emplace_back("--no-pci");  // never probe (and grab) a PCI NIC nobody configured
    }
    a.emplace_back(settings.verbose_eal ? "--log-level=info" : "--log-level=warning");
    a.insert(a.end(), settings.eal_args.begin(), settings.eal_args.end());
    return plan;
}

}  // namespace sluice::dataplane
