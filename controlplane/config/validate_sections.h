#pragma once
// The semantic checks of validate(), one function per section, and the small
// helpers they share. Internal to sluice_config.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ipv4.h"
#include "controlplane/config/diagnostic_sink.h"
#include "controlplane/config/model.h"

namespace sluice::config {

void validate_global(const Config& config, DiagnosticSink& sink);     // validate.cpp
void validate_dataplane(const Config& config, DiagnosticSink& sink);  // validate_dataplane.cpp
void validate_virtual_servers(const Config& config,
                              DiagnosticSink& sink);  // validate_virtual_server.cpp
void validate_health_check(const Config& config, const VirtualServer& vs, const RealServer& server,
                           const std::string& path, DiagnosticSink& sink);  // validate_check.cpp
void validate_vrrp_instances(const Config& config, DiagnosticSink& sink);   // validate_vrrp.cpp
void validate_vrrp_scripts_and_groups(const Config& config,
                                      DiagnosticSink& sink);  // validate_vrrp_refs.cpp

// Why `addr` cannot be a host's unicast address ("is a multicast address"),
// or nullopt when it can.
std::optional<std::string> not_unicast_reason(common::Ipv4Addr addr);

const Port* find_port(const Dataplane& dataplane, std::string_view name);

// True when `addr` is one of the appliance's own port addresses.
bool is_own_address(const Dataplane& dataplane, common::Ipv4Addr addr);

// "'frnt' is not defined in [[dataplane.port]]; did you mean 'front'?" (the
// suggestion only when one is close), for references between sections.
std::string undefined_reference(std::string_view name, std::string_view where,
                                std::span<const std::string_view> defined);

// " (line 12)" to point at an earlier definition, or "" when unknown.
std::string at_line(SourcePos pos);

// Reports each item whose `name` an earlier item already has, at its "name" key.
template <class T, class PathFn>
void check_unique_names(const std::vector<T>& items, PathFn path_of, std::string_view what,
                        DiagnosticSink& sink) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (!items[i].name.empty() && items[i].name == items[j].name) {
                sink.error(path_of(i) + ".name", items[i].key_pos.find("name", items[i].pos),
                           std::string(what) + " '" + items[i].name + "' is already defined" +
                               at_line(items[j].pos));
                break;
            }
        }
    }
}

}  // namespace sluice::config
