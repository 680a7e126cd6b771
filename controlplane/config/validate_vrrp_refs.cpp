// References from vrrp_instance to other sections (track_*), and the checks
// of the sections only VRRP uses: vrrp_script and vrrp_sync_group.

#include <algorithm>

#include "controlplane/config/validate_sections.h"

namespace sluice::config {
namespace {

template <class T>
std::vector<std::string_view> names_of(const std::vector<T>& items) {
    std::vector<std::string_view> names;
    names.reserve(items.size());
    for (const T& item : items) {
        names.push_back(item.name);
    }
    return names;
}

template <class T>
bool defines(const std::vector<T>& items, std::string_view name) {
    return std::any_of(items.begin(), items.end(),
                       [name](const T& item) { return item.name == name; });
}

void check_tracking(const Config& config, const VrrpInstance& in, const std::string& path,
                    DiagnosticSink& sink) {
    for (std::size_t i = 0; i < in.track_script.size(); ++i) {
        const TrackScript& track = in.track_script[i];
        if (!defines(config.vrrp_scripts, track.name)) {
            sink.error(
                element_path(path + ".track_script", track.name, i), track.pos,
                undefined_reference(track.name, "[[vrrp_script]]", names_of(config.vrrp_scripts)));
        }
    }
    const auto ports = names_of(config.dataplane.ports);
    for (std::size_t i = 0; i < in.track_interface.size(); ++i) {
        const std::string key = "track_interface[" + std::to_string(i) + "]";
        if (find_port(config.dataplane, in.track_interface[i]) == nullptr) {
            sink.error(path + '.' + key, in.key_pos.find(key, in.pos),
                       undefined_reference(in.track_interface[i], "[[dataplane.port]]", ports));
        }
    }
    for (std::size_t i = 0; i < in.track_service.size(); ++i) {
        const std::string key = "track_service[" + std::to_string(i) + "]";
        if (!defines(config.virtual_servers, in.track_service[i])) {
            sink.error(path + '.' + key, in.key_pos.find(key, in.pos),
                       undefined_reference(in.track_service[i], "[[virtual_server]]",
                                           names_of(config.virtual_servers)));
        }
    }
    if (in.track_service.empty() && in.key_pos.has("track_service_weight")) {
        sink.warning(path + ".track_service_weight",
                     in.key_pos.find("track_service_weight", in.pos),
                     "has no effect without track_service");
    }
}

void check_scripts(const Config& config, DiagnosticSink& sink) {
    const auto& scripts = config.vrrp_scripts;
    auto path_of = [&scripts](std::size_t i) {
        return element_path("vrrp_script", scripts[i].name, i);
    };
    check_unique_names(scripts, path_of, "vrrp_script", sink);
    for (std::size_t i = 0; i < scripts.size(); ++i) {
        const VrrpScript& script = scripts[i];
        const bool tracked =
            std::any_of(config.vrrp_instances.begin(), config.vrrp_instances.end(),
                        [&script](const VrrpInstance& in) {
                            return std::any_of(
                                in.track_script.begin(), in.track_script.end(),
                                [&script](const TrackScript& t) { return t.name == script.name; });
                        });
        if (!tracked) {
            sink.warning(path_of(i), script.pos,
                         "is not tracked by any vrrp_instance; it never runs");
        }
        if (script.timeout > script.interval) {
            sink.warning(path_of(i) + ".timeout", script.key_pos.find("timeout", script.pos),
                         format_number(script.timeout) + "s is longer than interval " +
                             format_number(script.interval) + "s; runs will overlap");
        }
        if (!script.script.empty() && script.script.front() != '/') {
            sink.warning(
                path_of(i) + ".script", script.key_pos.find("script", script.pos),
                "'" + script.script +
                    "' does not start with an absolute path; script security will refuse it");
        }
    }
}

void check_sync_groups(const Config& config, DiagnosticSink& sink) {
    const auto& groups = config.vrrp_sync_groups;
    auto path_of = [&groups](std::size_t i) {
        return element_path("vrrp_sync_group", groups[i].name, i);
    };
    check_unique_names(groups, path_of, "vrrp_sync_group", sink);
    const auto instances = names_of(config.vrrp_instances);
    // Which group already claimed each instance, in file order.
    std::vector<std::pair<std::string_view, std::string_view>> claimed;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const VrrpSyncGroup& group = groups[g];
        if (group.group.empty()) {
            sink.error(path_of(g) + ".group", group.key_pos.find("group", group.pos),
                       "lists no vrrp_instance");
        } else if (group.group.size() == 1) {
            sink.warning(path_of(g) + ".group", group.key_pos.find("group", group.pos),
                         "has a single vrrp_instance; a sync group only matters with two or more");
        }
        for (std::size_t i = 0; i < group.group.size(); ++i) {
            const std::string& member = group.group[i];
            const std::string key = "group[" + std::to_string(i) + "]";
            const SourcePos pos = group.key_pos.find(key, group.pos);
            const auto owner = std::find_if(claimed.begin(), claimed.end(),
                                            [&member](const auto& c) { return c.first == member; });
            if (!defines(config.vrrp_instances, member)) {
                sink.error(path_of(g) + '.' + key, pos,
                           undefined_reference(member, "[[vrrp_instance]]", instances));
            } else if (owner != claimed.end()) {
                sink.error(path_of(g) + '.' + key, pos,
                           "vrrp_instance '" + member + "' is already in vrrp_sync_group '" +
                               std::string(owner->second) + "'");
            } else {
                claimed.emplace_back(member, group.name);
            }
        }
    }
}

}  // namespace

void validate_vrrp_scripts_and_groups(const Config& config, DiagnosticSink& sink) {
    const auto& instances = config.vrrp_instances;
    for (std::size_t i = 0; i < instances.size(); ++i) {
        check_tracking(config, instances[i], element_path("vrrp_instance", instances[i].name, i),
                       sink);
    }
    check_scripts(config, sink);
    check_sync_groups(config, sink);
}

}  // namespace sluice::config
