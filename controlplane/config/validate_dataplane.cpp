#include <algorithm>
#include <array>

#include "common/device_name.h"
#include "common/mbuf_budget.h"
#include "controlplane/config/validate_sections.h"

namespace sluice::config {
namespace {

using common::Ipv4Prefix;

// EAL options sluiced derives from [dataplane] itself.
constexpr std::array<std::string_view, 6> kOwnedEalOptions{"-l",           "--lcores",  "-c",
                                                           "--main-lcore", "--no-huge", "-m"};

// The device's identity: the PCI address or vdev name before the arguments
// ("net_af_packet0" of "net_af_packet0,iface=front0").
void check_lcores(const Dataplane& dp, DiagnosticSink& sink) {
    if (dp.lcores.empty()) {
        sink.error("dataplane.lcores", dp.key_pos.find("lcores", dp.pos),
                   "at least one worker lcore is required");
    }
    for (std::size_t i = 0; i < dp.lcores.size(); ++i) {
        const std::string key = "lcores[" + std::to_string(i) + "]";
        const SourcePos pos = dp.key_pos.find(key, dp.key_pos.find("lcores", dp.pos));
        if (dp.lcores[i] == dp.main_lcore) {
            sink.error("dataplane." + key, pos,
                       "lcore " + std::to_string(dp.lcores[i]) +
                           " is the main_lcore; workers need lcores of their own");
        } else if (std::find(dp.lcores.begin(), dp.lcores.begin() + static_cast<std::ptrdiff_t>(i),
                             dp.lcores[i]) != dp.lcores.begin() + static_cast<std::ptrdiff_t>(i)) {
            sink.error("dataplane." + key, pos,
                       "lcore " + std::to_string(dp.lcores[i]) + " is listed twice");
        }
    }
}

void check_port_addresses(const Dataplane& dp, std::size_t index, const std::string& path,
                          DiagnosticSink& sink) {
    const Port& port = dp.ports[index];
    if (port.addresses.empty()) {
        sink.warning(path, port.pos, "has no addresses; it cannot answer ARP or reach neighbours");
    }
    for (std::size_t a = 0; a < port.addresses.size(); ++a) {
        const Ipv4Prefix& prefix = port.addresses[a];
        const std::string key = "addresses[" + std::to_string(a) + "]";
        const SourcePos pos = port.key_pos.find(key, port.pos);
        const std::uint32_t host_bits = ~prefix.netmask().value;
        if (const auto reason = not_unicast_reason(prefix.addr)) {
            sink.error(path + '.' + key, pos, prefix.addr.to_string() + ' ' + *reason);
            continue;
        }
        if (prefix.len <= 30 && (prefix.addr.value & host_bits) == 0) {
            sink.error(path + '.' + key, pos,
                       prefix.to_string() +
                           " is the network address of its subnet; give the port's own address");
            continue;
        }
        if (prefix.len <= 30 && (prefix.addr.value & host_bits) == host_bits) {
            sink.error(path + '.' + key, pos,
                       prefix.to_string() +
                           " is the broadcast address of its subnet; give the port's own address");
            continue;
        }
        // Same address, or an overlapping subnet, on an earlier port or entry.
        for (std::size_t p = 0; p <= index; ++p) {
            const Port& other = dp.ports[p];
            const std::size_t end = p == index ? a : other.addresses.size();
            for (std::size_t b = 0; b < end; ++b) {
                const Ipv4Prefix& seen = other.addresses[b];
                if (seen.addr == prefix.addr) {
                    sink.error(path + '.' + key, pos,
                               prefix.addr.to_string() + " is already an address of port '" +
                                   other.name + "'");
                } else if (p != index &&
                           (seen.contains(prefix.addr) || prefix.contains(seen.addr))) {
                    sink.warning(path + '.' + key, pos,
                                 prefix.to_string() + " overlaps " + seen.to_string() +
                                     " of port '" + other.name +
                                     "'; replies may leave by either port");
                }
            }
        }
    }
    if (port.gateway) {
        const SourcePos pos = port.key_pos.find("gateway", port.pos);
        const bool reachable =
            std::any_of(port.addresses.begin(), port.addresses.end(),
                        [&](const Ipv4Prefix& p) { return p.contains(*port.gateway); });
        if (!reachable) {
            sink.error(
                path + ".gateway", pos,
                port.gateway->to_string() + " is not in any subnet of this port's addresses");
        } else if (is_own_address(dp, *port.gateway)) {
            sink.error(path + ".gateway", pos,
                       port.gateway->to_string() + " is the appliance's own address");
        }
    }
}

void check_ports(const Dataplane& dp, DiagnosticSink& sink) {
    if (dp.ports.empty()) {
        sink.error("dataplane.port", dp.key_pos.find("port", dp.pos),
                   "at least one [[dataplane.port]] is required");
        return;
    }
    auto path_of = [&dp](std::size_t i) {
        return element_path("dataplane.port", dp.ports[i].name, i);
    };
    check_unique_names(dp.ports, path_of, "port", sink);
    for (std::size_t i = 0; i < dp.ports.size(); ++i) {
        const Port& port = dp.ports[i];
        for (std::size_t j = 0; j < i; ++j) {
            if (common::device_name(port.device) == common::device_name(dp.ports[j].device)) {
                sink.error(path_of(i) + ".device", port.key_pos.find("device", port.pos),
                           "device '" + std::string(common::device_name(port.device)) +
                               "' is already used by port '" + dp.ports[j].name + "'");
                break;
            }
        }
        check_port_addresses(dp, i, path_of(i), sink);
    }
}

void check_resources(const Dataplane& dp, DiagnosticSink& sink) {
    const auto pos = [&dp](std::string_view key) { return dp.key_pos.find(key, dp.pos); };
    const std::size_t workers = std::max<std::size_t>(dp.lcores.size(), 1);
    const std::uint64_t needed =
        common::mbufs_needed(dp.ports.size(), workers, dp.rx_desc, dp.tx_desc, dp.mbuf_cache, dp.burst);
    if (dp.mbufs < needed) {
        sink.error("dataplane.mbufs", pos("mbufs"),
                   std::to_string(dp.mbufs) + " is too few: the port rings and lcore caches can hold " +
                       std::to_string(needed) + "; raise mbufs or lower rx_desc/tx_desc");
    }
    if (dp.burst > dp.rx_desc) {
        sink.error(
            "dataplane.burst", pos("burst"),
            std::to_string(dp.burst) + " is larger than rx_desc " + std::to_string(dp.rx_desc));
    }
    if (dp.idle == IdleMode::busy && dp.key_pos.has("idle_sleep_us")) {
        sink.warning("dataplane.idle_sleep_us", pos("idle_sleep_us"),
                     "has no effect when idle is 'busy'");
    }
    for (std::size_t i = 0; i < dp.eal_args.size(); ++i) {
        const std::string& arg = dp.eal_args[i];
        const std::string key = "eal_args[" + std::to_string(i) + "]";
        for (std::string_view owned : kOwnedEalOptions) {
            if (arg == owned || (arg.rfind(owned, 0) == 0 && arg.size() > owned.size() &&
                                 arg[owned.size()] == '=')) {
                sink.error("dataplane." + key, dp.key_pos.find(key, pos("eal_args")),
                           "'" + arg +
                               "' is set from main_lcore, lcores, hugepages and memory_mb; use "
                               "those keys");
            }
        }
    }
}

}  // namespace

void validate_dataplane(const Config& config, DiagnosticSink& sink) {
    const Dataplane& dp = config.dataplane;
    check_lcores(dp, sink);
    check_ports(dp, sink);
    check_resources(dp, sink);
}

}  // namespace sluice::config
