#include <algorithm>
#include <cmath>

#include "controlplane/config/enum_names.h"
#include "controlplane/config/validate_sections.h"

namespace sluice::config {
namespace {

using common::Ipv4Addr;

constexpr std::uint8_t kOwnerPriority = 255;  // RFC 5798 §5.2.4
constexpr std::size_t kMaxAuthPass = 8;       // RFC 3768 §5.3.10: 8 octets
constexpr double kMaxAdvertV3 = 40.95;        // RFC 5798 §5.2.7: 12-bit centiseconds

struct InstanceCtx {
    const Config& config;
    const VrrpInstance& in;
    std::string path;
    DiagnosticSink& sink;

    SourcePos pos(std::string_view key) const { return in.key_pos.find(key, in.pos); }
    void error(std::string_view key, std::string message) const {
        sink.error(path + '.' + std::string(key), pos(key), std::move(message));
    }
    void warning(std::string_view key, std::string message) const {
        sink.warning(path + '.' + std::string(key), pos(key), std::move(message));
    }
};

void check_interface_and_vrid(const InstanceCtx& c, std::size_t index) {
    const VrrpInstance& in = c.in;
    if (find_port(c.config.dataplane, in.interface) == nullptr) {
        std::vector<std::string_view> names;
        for (const Port& port : c.config.dataplane.ports) {
            names.push_back(port.name);
        }
        c.error("interface", undefined_reference(in.interface, "[[dataplane.port]]", names));
    }
    if (in.virtual_router_id == 0) {
        c.error("virtual_router_id", "0 is out of range; allowed 1..255");
    }
    for (std::size_t j = 0; j < index; ++j) {
        const VrrpInstance& other = c.config.vrrp_instances[j];
        if (other.virtual_router_id == in.virtual_router_id && other.interface == in.interface) {
            c.error("virtual_router_id", std::to_string(in.virtual_router_id) +
                                             " is already used on interface '" + in.interface +
                                             "' by vrrp_instance '" + other.name + "'" +
                                             at_line(other.pos));
            break;
        }
    }
}

// keepalived's address-owner rule: priority 255 exactly when a virtual
// address is the router's own address on that interface.
void check_owner_priority(const InstanceCtx& c) {
    const VrrpInstance& in = c.in;
    const Port* port = find_port(c.config.dataplane, in.interface);
    if (port == nullptr) {
        return;
    }
    const auto owned = std::find_if(
        in.virtual_ipaddress.begin(), in.virtual_ipaddress.end(),
        [port](const common::Ipv4Prefix& vip) {
            return std::any_of(
                port->addresses.begin(), port->addresses.end(),
                [&vip](const common::Ipv4Prefix& own) { return own.addr == vip.addr; });
        });
    if (in.priority == kOwnerPriority && owned == in.virtual_ipaddress.end()) {
        c.error("priority",
                "255 is reserved for the address owner, and no virtual_ipaddress is an address of "
                "port '" +
                    in.interface + "'; use 1..254");
    } else if (in.priority != kOwnerPriority && owned != in.virtual_ipaddress.end()) {
        c.warning("priority",
                  owned->addr.to_string() + " is port '" + in.interface +
                      "''s own address, so this node owns it; RFC 5798 §5.2.4 wants priority 255");
    }
}

void check_advert_and_auth(const InstanceCtx& c) {
    const VrrpInstance& in = c.in;
    if (in.version == 2) {
        if (in.advert_int < 1.0 || in.advert_int > 255.0 ||
            in.advert_int != std::floor(in.advert_int)) {
            c.error("advert_int", format_number(in.advert_int) +
                                      " is not valid for version 2; allowed whole seconds 1..255");
        }
    } else {
        const double centis = in.advert_int * 100.0;
        if (in.advert_int < 0.01 || in.advert_int > kMaxAdvertV3 ||
            std::fabs(centis - std::round(centis)) > 1e-6) {
            c.error("advert_int",
                    format_number(in.advert_int) +
                        " is not valid for version 3; allowed 0.01..40.95 in steps of 0.01");
        }
    }
    if (in.version == 3 && (in.auth_type != AuthType::none || in.key_pos.has("authentication"))) {
        c.error("authentication",
                "VRRPv3 has no authentication (RFC 5798 §9); remove it or set version = 2");
        return;
    }
    if (in.auth_pass.size() > kMaxAuthPass) {
        c.error("authentication.auth_pass",
                "is " + std::to_string(in.auth_pass.size()) +
                    " characters long; VRRPv2 carries at most 8 (RFC 3768 §5.3.10)");
    }
    if (in.auth_type == AuthType::pass && in.auth_pass.empty()) {
        c.error("authentication", "auth_type 'pass' needs auth_pass");
    } else if (in.auth_type == AuthType::none && !in.auth_pass.empty()) {
        c.error("authentication.auth_pass", "is set but auth_type is 'none'");
    }
}

void check_addresses(const InstanceCtx& c, std::size_t index) {
    const VrrpInstance& in = c.in;
    if (in.virtual_ipaddress.empty()) {
        c.sink.warning(c.path, in.pos,
                       "has no virtual_ipaddress; it elects a master but moves no address");
    }
    for (std::size_t i = 0; i < in.virtual_ipaddress.size(); ++i) {
        const Ipv4Addr addr = in.virtual_ipaddress[i].addr;
        const std::string key = "virtual_ipaddress[" + std::to_string(i) + "]";
        if (const auto reason = not_unicast_reason(addr)) {
            c.error(key, addr.to_string() + ' ' + *reason);
            continue;
        }
        for (std::size_t j = 0; j <= index; ++j) {
            const VrrpInstance& other = c.config.vrrp_instances[j];
            const std::size_t end = j == index ? i : other.virtual_ipaddress.size();
            const auto first = other.virtual_ipaddress.begin();
            const auto last = first + static_cast<std::ptrdiff_t>(end);
            if (std::any_of(first, last,
                            [addr](const common::Ipv4Prefix& p) { return p.addr == addr; })) {
                c.error(key, addr.to_string() +
                                 " is already a virtual_ipaddress of vrrp_instance '" + other.name +
                                 "'");
                break;
            }
        }
    }
    const Port* port = find_port(c.config.dataplane, in.interface);
    if (in.unicast_src_ip && port != nullptr &&
        std::none_of(port->addresses.begin(), port->addresses.end(),
                     [&in](const common::Ipv4Prefix& p) { return p.addr == *in.unicast_src_ip; })) {
        c.error("unicast_src_ip", in.unicast_src_ip->to_string() + " is not an address of port '" +
                                      in.interface + "'");
    }
    if (in.unicast_src_ip && in.unicast_peer.empty()) {
        c.warning("unicast_src_ip", "has no effect without unicast_peer");
    }
    for (std::size_t i = 0; i < in.unicast_peer.size(); ++i) {
        const Ipv4Addr peer = in.unicast_peer[i];
        const std::string key = "unicast_peer[" + std::to_string(i) + "]";
        if (peer.is_multicast()) {
            c.error(key,
                    peer.to_string() +
                        " is a multicast address; unicast_peer lists the peers' unicast addresses");
        } else if (const auto reason = not_unicast_reason(peer)) {
            c.error(key, peer.to_string() + ' ' + *reason);
        } else if (is_own_address(c.config.dataplane, peer)) {
            c.error(key, peer.to_string() + " is an address of this appliance, not a peer");
        } else if (std::find(in.unicast_peer.begin(),
                             in.unicast_peer.begin() + static_cast<std::ptrdiff_t>(i),
                             peer) != in.unicast_peer.begin() + static_cast<std::ptrdiff_t>(i)) {
            c.warning(key, peer.to_string() + " is listed twice");
        }
    }
}

void check_preemption(const InstanceCtx& c) {
    const VrrpInstance& in = c.in;
    if (in.nopreempt && in.state == VrrpState::master) {
        c.warning("nopreempt", "keepalived only honours nopreempt with state 'backup'");
    }
    if (in.nopreempt && in.preempt_delay > 0.0) {
        c.warning("preempt_delay", "has no effect with nopreempt");
    }
}

}  // namespace

void validate_vrrp_instances(const Config& config, DiagnosticSink& sink) {
    const auto& instances = config.vrrp_instances;
    auto path_of = [&instances](std::size_t i) {
        return element_path("vrrp_instance", instances[i].name, i);
    };
    check_unique_names(instances, path_of, "vrrp_instance", sink);
    for (std::size_t i = 0; i < instances.size(); ++i) {
        const InstanceCtx c{config, instances[i], path_of(i), sink};
        check_interface_and_vrid(c, i);
        check_owner_priority(c);
        check_advert_and_auth(c);
        check_addresses(c, i);
        check_preemption(c);
    }
}

}  // namespace sluice::config
