// [dataplane] and one [[dataplane.port]] per interface keepalived names.
// keepalived takes the host's own addresses from the kernel, so the
// configuration has none to copy: a port's addresses come from --address,
// else from its instances' unicast_src_ip, else from an unused host address
// in the subnet of one of its virtual_ipaddress (noted: the operator sets it).

#include <algorithm>

#include "controlplane/import/translate_context.h"

namespace sluice::import {
namespace {

constexpr std::uint8_t kAssumedLength = 24;

// The prefix length a VIP on `iface` gives for `a`, if one with a subnet holds it.
std::optional<std::uint8_t> length_from_vips(const Context& cx, const std::string& iface,
                                             common::Ipv4Addr a) {
    for (const auto& in : cx.instances) {
        if (in.interface != iface) {
            continue;
        }
        for (const auto& p : in.vips) {
            if (p.len < 31 && p.contains(a)) {
                return p.len;
            }
        }
    }
    return std::nullopt;
}

// The highest host address of `subnet` that nothing else uses.
std::optional<common::Ipv4Prefix> free_host(const Context& cx, common::Ipv4Prefix subnet) {
    const std::uint32_t mask = subnet.netmask().value;
    const std::uint32_t net = subnet.addr.value & mask;
    const std::uint32_t broadcast = net | ~mask;
    for (std::uint32_t a = broadcast - 1; a > net; --a) {
        if (cx.used_addresses.count(a) == 0) {
            return common::Ipv4Prefix{common::Ipv4Addr{a}, subnet.len};
        }
    }
    return std::nullopt;
}

std::string set_it(const std::string& iface) {
    return "set the port's own address (sluicectl import-keepalived --address " + iface +
           "=IP/LEN)";
}

}  // namespace

TomlTable build_dataplane(Context& cx) {
    TomlTable dp{"[dataplane]", {}, {}};
    dp.set("lcores", "[1]");
    dp.set("hugepages", toml_string("auto"));
    if (cx.interfaces.empty()) {
        // An LVS-only configuration: keepalived names no interface at all.
        cx.interfaces.push_back("eth0");
        cx.interface_where.push_back(cx.first_service);
        cx.note(cx.first_service, "virtual_server",
                "keepalived names no interface; port 'eth0' (iface=eth0) is assumed: set the "
                "port's device");
    }
    for (std::size_t i = 0; i < cx.interfaces.size(); ++i) {
        const std::string& iface = cx.interfaces[i];
        TomlTable port{"[[dataplane.port]]", {}, {}};
        port.set("name", toml_string(iface));
        port.set("device", toml_string("net_af_packet" + std::to_string(i) + ",iface=" + iface));
        if (i == 0) {
            port.set("role", toml_string("front"));
        }
        std::vector<common::Ipv4Prefix> addrs;
        const auto given = cx.options.addresses.find(iface);
        if (given != cx.options.addresses.end()) {
            addrs.push_back(given->second);
        }
        for (const auto& in : cx.instances) {
            if (in.interface != iface) {
                continue;
            }
            for (const auto src : in.unicast_src) {
                if (std::any_of(addrs.begin(), addrs.end(),
                                [&](const auto& p) { return p.addr == src; })) {
                    continue;
                }
                std::optional<std::uint8_t> len;
                if (given != cx.options.addresses.end() && given->second.contains(src)) {
                    len = given->second.len;
                } else {
                    len = length_from_vips(cx, iface, src);
                }
                if (!len) {
                    len = kAssumedLength;
                    cx.note(in.where, "unicast_src_ip",
                            "the prefix length of " + src.to_string() + " on '" + iface +
                                "' is unknown; /24 is assumed: " + set_it(iface));
                }
                addrs.push_back(common::Ipv4Prefix{src, *len});
                cx.used_addresses.insert(src.value);
            }
        }
        if (addrs.empty()) {
            std::optional<common::Ipv4Prefix> subnet;
            for (const auto& in : cx.instances) {
                if (in.interface == iface && !in.vips.empty()) {
                    subnet = in.vips.front();
                    break;
                }
            }
            if (!subnet && i == 0 && cx.instances.empty() && !cx.service_vips.empty()) {
                subnet = common::Ipv4Prefix{cx.service_vips.front(), 32};
            }
            if (subnet) {
                const std::string from = subnet->to_string();
                if (subnet->len >= 31) {
                    subnet->len = kAssumedLength;
                }
                if (auto host = free_host(cx, *subnet)) {
                    addrs.push_back(*host);
                    cx.used_addresses.insert(host->addr.value);
                    cx.note(cx.interface_where[i], "interface",
                            "keepalived does not state the host's own address on '" + iface +
                                "'; " + host->to_string() + " was derived from " + from + ": " +
                                set_it(iface));
                }
            }
        }
        if (addrs.empty()) {
            cx.note(cx.interface_where[i], "interface",
                    "port '" + iface + "' has no address: " + set_it(iface));
        }
        std::vector<std::string> rendered;
        for (const auto& p : addrs) {
            rendered.push_back(p.to_string());
        }
        port.set("addresses", toml_string_array(rendered));
        dp.children.push_back(std::move(port));
    }
    return dp;
}

}  // namespace sluice::import
