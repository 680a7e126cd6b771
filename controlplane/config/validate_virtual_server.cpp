#include <algorithm>

#include "controlplane/config/enum_names.h"
#include "controlplane/config/validate_sections.h"

namespace sluice::config {
namespace {

using common::Ipv4Addr;

// Maglev wants M much larger than the number of backends for an even spread
// (Eisenbud et al., NSDI'16, §3.4: M > 100 * N keeps the imbalance under 1%).
constexpr std::uint64_t kMaglevSlotsPerBackend = 100;

bool is_prime(std::uint32_t n) {
    if (n < 2) {
        return false;
    }
    for (std::uint32_t d = 2; d <= n / d; ++d) {
        if (n % d == 0) {
            return false;
        }
    }
    return true;
}

std::string service_text(const VirtualServer& vs) {
    return vs.vip.to_string() + ':' + std::to_string(vs.port) + '/' +
           std::string(to_string(vs.protocol));
}

// True when a VRRP instance or a port holds `addr`, i.e. something answers ARP for it.
bool vip_is_held(const Config& config, Ipv4Addr addr) {
    if (is_own_address(config.dataplane, addr)) {
        return true;
    }
    return std::any_of(
        config.vrrp_instances.begin(), config.vrrp_instances.end(), [addr](const VrrpInstance& in) {
            return std::any_of(in.virtual_ipaddress.begin(), in.virtual_ipaddress.end(),
                               [addr](const common::Ipv4Prefix& p) { return p.addr == addr; });
        });
}

bool on_port_subnet(const Dataplane& dp, Ipv4Addr addr) {
    return std::any_of(dp.ports.begin(), dp.ports.end(), [addr](const Port& port) {
        return std::any_of(port.addresses.begin(), port.addresses.end(),
                           [addr](const common::Ipv4Prefix& p) { return p.contains(addr); });
    });
}

void check_interface(const Config& config, const VirtualServer& vs, const std::string& path,
                     DiagnosticSink& sink) {
    const SourcePos pos = vs.key_pos.find("interface", vs.pos);
    if (vs.interface.empty()) {
        sink.error(path + ".interface", pos,
                   "no port has role 'front' or 'both'; name the port the VIP is reached on");
        return;
    }
    if (find_port(config.dataplane, vs.interface) == nullptr) {
        std::vector<std::string_view> names;
        for (const Port& port : config.dataplane.ports) {
            names.push_back(port.name);
        }
        sink.error(path + ".interface", pos,
                   undefined_reference(vs.interface, "[[dataplane.port]]", names));
    }
}

void check_real_server(const Config& config, const VirtualServer& vs, std::size_t index,
                       const std::string& path, DiagnosticSink& sink) {
    const RealServer& rs = vs.real_servers[index];
    const SourcePos address_pos = rs.key_pos.find("address", rs.pos);
    const std::string endpoint = rs.address.to_string() + ':' + std::to_string(rs.port);
    if (const auto reason = not_unicast_reason(rs.address)) {
        sink.error(path + ".address", address_pos, rs.address.to_string() + ' ' + *reason);
    } else if (rs.address == vs.vip) {
        sink.error(path + ".address", address_pos,
                   rs.address.to_string() + " is the virtual server's own VIP");
    } else if (is_own_address(config.dataplane, rs.address)) {
        sink.error(path + ".address", address_pos,
                   rs.address.to_string() + " is an address of the appliance itself");
    }
    for (std::size_t j = 0; j < index; ++j) {
        const RealServer& other = vs.real_servers[j];
        if (other.address == rs.address && other.port == rs.port) {
            sink.error(path + ".address", address_pos,
                       endpoint + " is already listed as real_server[" + std::to_string(j) + "]" +
                           at_line(other.pos));
            break;
        }
    }
    if (rs.weight > 65535) {
        sink.error(path + ".weight", rs.key_pos.find("weight", rs.pos),
                   std::to_string(rs.weight) + " is out of range; allowed 0..65535");
    }
    if (vs.lb_kind != ForwardMethod::nat && rs.port != vs.port) {
        sink.error(path + ".port", rs.key_pos.find("port", rs.pos),
                   "lb_kind '" + std::string(to_string(vs.lb_kind)) +
                       "' cannot change the destination port; use " + std::to_string(vs.port) +
                       " (the virtual server's port) or lb_kind 'nat'");
    }
    const bool has_gateway =
        std::any_of(config.dataplane.ports.begin(), config.dataplane.ports.end(),
                    [](const Port& p) { return p.gateway.has_value(); });
    if (vs.lb_kind == ForwardMethod::dr && !on_port_subnet(config.dataplane, rs.address)) {
        sink.error(path + ".address", address_pos,
                   rs.address.to_string() +
                       " is not on any port's subnet; lb_kind 'dr' only reaches L2 neighbours");
    } else if (!has_gateway && !on_port_subnet(config.dataplane, rs.address)) {
        sink.warning(
            path + ".address", address_pos,
            rs.address.to_string() +
                " is not on any port's subnet and no port has a gateway; it is unreachable");
    }
    if (rs.check) {
        validate_health_check(config, vs, rs, path + ".check", sink);
    }
}

void check_scheduling(const VirtualServer& vs, const std::string& path, DiagnosticSink& sink) {
    const auto pos = [&vs](std::string_view key) { return vs.key_pos.find(key, vs.pos); };
    if (!is_prime(vs.mh_table_size)) {
        sink.error(path + ".mh_table_size", pos("mh_table_size"),
                   std::to_string(vs.mh_table_size) +
                       " is not prime; Maglev needs a prime table size (e.g. 65537)");
    } else if (vs.lb_algo != Scheduler::mh && vs.key_pos.has("mh_table_size")) {
        sink.warning(path + ".mh_table_size", pos("mh_table_size"),
                     "has no effect unless lb_algo is 'mh'");
    } else if (vs.lb_algo == Scheduler::mh &&
               vs.mh_table_size < kMaglevSlotsPerBackend * vs.real_servers.size()) {
        sink.warning(path + ".mh_table_size", pos("mh_table_size"),
                     std::to_string(vs.mh_table_size) + " slots for " +
                         std::to_string(vs.real_servers.size()) +
                         " real servers spread them unevenly; use at least 100 slots per server");
    }
    if (!common::is_contiguous_netmask(vs.persistence_granularity)) {
        sink.error(path + ".persistence_granularity", pos("persistence_granularity"),
                   vs.persistence_granularity.to_string() +
                       " is not a contiguous netmask (e.g. 255.255.255.0)");
    } else if (vs.persistence_timeout == 0 && vs.key_pos.has("persistence_granularity")) {
        sink.warning(path + ".persistence_granularity", pos("persistence_granularity"),
                     "has no effect without persistence_timeout");
    }
    std::uint64_t total_weight = 0;
    for (const RealServer& rs : vs.real_servers) {
        total_weight += rs.weight;
    }
    if (vs.real_servers.empty() && !vs.sorry_server) {
        sink.warning(path, vs.pos,
                     "has no real servers and no sorry_server; every connection will be refused");
    } else if (!vs.real_servers.empty() && total_weight == 0) {
        sink.warning(path, vs.pos,
                     "every real server has weight 0; no new connection will be scheduled");
    }
    if (vs.quorum > total_weight && !vs.real_servers.empty()) {
        sink.warning(path + ".quorum", pos("quorum"),
                     std::to_string(vs.quorum) +
                         " can never be reached: the real servers' weights add up to " +
                         std::to_string(total_weight));
    }
}

void check_virtual_server(const Config& config, std::size_t index, const std::string& path,
                          DiagnosticSink& sink) {
    const VirtualServer& vs = config.virtual_servers[index];
    const SourcePos vip_pos = vs.key_pos.find("vip", vs.pos);
    if (const auto reason = not_unicast_reason(vs.vip)) {
        sink.error(path + ".vip", vip_pos, vs.vip.to_string() + ' ' + *reason);
    } else if (!vip_is_held(config, vs.vip)) {
        sink.warning(path + ".vip", vip_pos,
                     vs.vip.to_string() +
                         " is neither a port address nor a virtual_ipaddress of any vrrp_instance; "
                         "nothing answers ARP for it");
    }
    for (std::size_t j = 0; j < index; ++j) {
        const VirtualServer& other = config.virtual_servers[j];
        if (other.vip == vs.vip && other.port == vs.port && other.protocol == vs.protocol) {
            sink.error(path + ".vip", vip_pos,
                       service_text(vs) + " is already served by virtual_server '" + other.name +
                           "'" + at_line(other.pos));
            break;
        }
    }
    check_interface(config, vs, path, sink);
    check_scheduling(vs, path, sink);
    for (std::size_t i = 0; i < vs.real_servers.size(); ++i) {
        check_real_server(config, vs, i, path + ".real_server[" + std::to_string(i) + "]", sink);
    }
    if (vs.sorry_server) {
        const RealServer& sorry = *vs.sorry_server;
        if (const auto reason = not_unicast_reason(sorry.address)) {
            sink.error(path + ".sorry_server.address", sorry.key_pos.find("address", sorry.pos),
                       sorry.address.to_string() + ' ' + *reason);
        }
    }
}

}  // namespace

void validate_virtual_servers(const Config& config, DiagnosticSink& sink) {
    const auto& services = config.virtual_servers;
    auto path_of = [&services](std::size_t i) {
        return element_path("virtual_server", services[i].name, i);
    };
    check_unique_names(services, path_of, "virtual_server", sink);
    for (std::size_t i = 0; i < services.size(); ++i) {
        check_virtual_server(config, i, path_of(i), sink);
    }
}

}  // namespace sluice::config
