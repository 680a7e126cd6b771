#include "controlplane/cli/checks_view.h"

#include <cstdio>
#include <sstream>

#include "controlplane/cli/status_view.h"

namespace sluice::cli {

namespace {

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

std::string render_checks(const nlohmann::json& checks) {
    std::ostringstream o;
    const nlohmann::json services = checks.contains("services") ? checks["services"] : nlohmann::json::array();
    if (services.empty()) {
        o << "no virtual_server configured\n";
    }
    for (const auto& s : services) {
        o << s.value("name", "?") << "  " << s.value("vip", "?") << ':' << s.value("port", 0) << "  quorum "
          << (s.value("quorum_up", false) ? "up" : "DOWN") << " (alive weight " << s.value("alive_weight", 0)
          << ", quorum " << s.value("quorum", 0) << ", hysteresis " << s.value("hysteresis", 0) << ')';
        const std::string sorry = s.value("sorry_server", "");
        if (!sorry.empty()) {
            o << "  sorry server " << sorry << (s.value("sorry_in_use", false) ? " IN USE" : " idle");
        }
        o << '\n';
        const nlohmann::json rss = s.contains("real_servers") ? s["real_servers"] : nlohmann::json::array();
        for (const auto& r : rss) {
            const std::string addr = r.value("address", "?") + ":" + std::to_string(r.value("port", 0));
            o << "  " << addr << std::string(addr.size() < 22 ? 22 - addr.size() : 1, ' ') << r.value("check", "none")
              << "  " << r.value("health", "?");
            if (r.contains("since_s")) o << " for " << human_duration(r.value("since_s", 0.0));
            o << "  " << r.value("state", "?") << " weight " << r.value("weight", 0);
            if (r.contains("override")) o << " [override: " << r.value("override", "") << ", until reload]";
            if (r.contains("dynamic_weight")) o << " (dynamic " << r.value("dynamic_weight", 0) << ')';
            if (r.contains("last_result")) {
                const auto& lr = r["last_result"];
                o << "  last: " << lr.value("reason", "?") << " in " << fixed(lr.value("latency_ms", 0.0), 1)
                  << " ms, " << human_duration(lr.value("seconds_ago", 0.0)) << " ago";
            }
            if (r.contains("failures")) {
                o << "  failures " << r.value("failures", 0) << '/' << r.value("attempts", 0) << " attempts";
            }
            o << '\n';
        }
    }
    return o.str();
}

}  // namespace sluice::cli
