#include "controlplane/config/loader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "controlplane/config/document.h"
#include "controlplane/config/load_sections.h"
#include "controlplane/config/reader.h"
#include "controlplane/config/validate.h"

namespace sluice::config {
namespace {

// The first port that faces clients: role front, else both.
std::string default_vip_interface(const Dataplane& dataplane) {
    for (PortRole role : {PortRole::front, PortRole::both}) {
        for (const Port& port : dataplane.ports) {
            if (port.role == role) {
                return port.name;
            }
        }
    }
    return {};  // validate() reports the virtual server
}

// Defaults that depend on another section, filled once everything is loaded.
void apply_cross_defaults(Config& config) {
    for (VirtualServer& vs : config.virtual_servers) {
        if (vs.interface.empty()) {
            vs.interface = default_vip_interface(config.dataplane);
        }
        for (RealServer& server : vs.real_servers) {
            if (server.check && server.check->user.empty()) {
                server.check->user = config.global.script_user;
            }
        }
    }
    for (VrrpScript& script : config.vrrp_scripts) {
        if (script.user.empty()) {
            script.user = config.global.script_user;
        }
    }
}

// File order reads best: an editor jumps down the list. Problems with the
// file as a whole (line 0) come first.
void sort_by_position(std::vector<Diagnostic>& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
}

}  // namespace

LoadResult load_string(std::string_view text, std::string_view file_name) {
    LoadResult result;
    const auto doc = parse_document(text, file_name, result.diagnostics);
    if (!doc) {
        return result;
    }
    Config config;
    config.file = std::string(file_name);
    DiagnosticSink sink(config.file, result.diagnostics);
    TableReader root(sink, *doc, "");
    load_global(root, config.global);
    load_dataplane(root, config.dataplane);
    load_virtual_servers(root, config.virtual_servers);
    load_vrrp_scripts(root, config.vrrp_scripts);
    load_vrrp_instances(root, config.vrrp_instances);
    load_vrrp_sync_groups(root, config.vrrp_sync_groups);
    root.finish();
    sort_by_position(result.diagnostics);
    if (has_errors(result.diagnostics)) {
        return result;
    }
    apply_cross_defaults(config);
    std::vector<Diagnostic> semantic = validate(config);
    sort_by_position(semantic);
    for (Diagnostic& d : semantic) {
        result.diagnostics.push_back(std::move(d));
    }
    if (!has_errors(result.diagnostics)) {
        result.config = std::move(config);
    }
    return result;
}

LoadResult load_file(const std::string& path) {
    auto unreadable = [&path](const std::string& why) {
        LoadResult result;
        result.diagnostics.push_back(
            Diagnostic{Severity::error, path, 0, 0, "", "cannot read file: " + why});
        return result;
    };
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return unreadable("it is a directory");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return unreadable(errno != 0 ? std::generic_category().message(errno) : "cannot open");
    }
    std::string text;
    std::array<char, 65536> chunk{};
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        return unreadable("read error");
    }
    return load_string(text, path);
}

}  // namespace sluice::config
