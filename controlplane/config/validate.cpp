#include "controlplane/config/validate.h"

#include <charconv>

#include "controlplane/config/suggest.h"
#include "controlplane/config/validate_sections.h"

namespace sluice::config {
namespace {

// sockaddr_un::sun_path holds 108 bytes including the terminating NUL.
constexpr std::size_t kMaxUnixPath = 107;

bool is_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || !common::Ipv4Addr::parse(text.substr(0, colon))) {
        return false;
    }
    const std::string_view port = text.substr(colon + 1);
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    return ec == std::errc{} && end == port.data() + port.size() && v >= 1 && v <= 65535;
}

}  // namespace

std::optional<std::string> not_unicast_reason(common::Ipv4Addr addr) {
    if (addr.value == 0) {
        return "is the unspecified address";
    }
    if (addr.value == 0xffffffffu) {
        return "is the broadcast address";
    }
    if (addr.is_multicast()) {
        return "is a multicast address";
    }
    if ((addr.value >> 24) == 127) {
        return "is a loopback address";
    }
    return std::nullopt;
}

const Port* find_port(const Dataplane& dataplane, std::string_view name) {
    for (const Port& port : dataplane.ports) {
        if (port.name == name) {
            return &port;
        }
    }
    return nullptr;
}

bool is_own_address(const Dataplane& dataplane, common::Ipv4Addr addr) {
    for (const Port& port : dataplane.ports) {
        for (const common::Ipv4Prefix& own : port.addresses) {
            if (own.addr == addr) {
                return true;
            }
        }
    }
    return false;
}

std::string undefined_reference(std::string_view name, std::string_view where,
                                std::span<const std::string_view> defined) {
    std::string message = "'" + std::string(name) + "' is not defined in " + std::string(where);
    if (const auto suggestion = closest_key(name, defined)) {
        message += "; did you mean '" + *suggestion + "'?";
    }
    return message;
}

std::string at_line(SourcePos pos) {
    return pos.line == 0 ? std::string() : " (line " + std::to_string(pos.line) + ")";
}

void validate_global(const Config& config, DiagnosticSink& sink) {
    const Global& g = config.global;
    const auto pos = [&g](std::string_view key) { return g.key_pos.find(key, g.pos); };
    if (g.api_socket.empty() || g.api_socket.front() != '/') {
        sink.error("global.api_socket", pos("api_socket"),
                   "'" + g.api_socket + "' must be an absolute path");
    } else if (g.api_socket.size() > kMaxUnixPath) {
        sink.error("global.api_socket", pos("api_socket"),
                   "is " + std::to_string(g.api_socket.size()) +
                       " characters long; a unix socket path holds at most " +
                       std::to_string(kMaxUnixPath));
    }
    if (!g.metrics_listen.empty() && !is_host_port(g.metrics_listen)) {
        sink.error("global.metrics_listen", pos("metrics_listen"),
                   "'" + g.metrics_listen +
                       "' is not ADDRESS:PORT (e.g. 127.0.0.1:9468; \"\" turns it off)");
    }
    if (g.script_user.empty()) {
        sink.error("global.script_user", pos("script_user"), "must not be empty");
    }
}

std::vector<Diagnostic> validate(const Config& config) {
    std::vector<Diagnostic> out;
    DiagnosticSink sink(config.file, out);
    validate_global(config, sink);
    validate_dataplane(config, sink);
    validate_virtual_servers(config, sink);
    validate_vrrp_instances(config, sink);
    validate_vrrp_scripts_and_groups(config, sink);
    return out;
}

}  // namespace sluice::config
