#include "controlplane/cli/vrrp_view.h"

#include <sstream>

#include "controlplane/cli/status_view.h"

namespace sluice::cli {

namespace {

std::string join(const nlohmann::json& list) {
    std::string out;
    for (const auto& v : list) {
        if (!out.empty()) out += ", ";
        out += v.is_string() ? v.get<std::string>() : v.dump();
    }
    return out.empty() ? "-" : out;
}

}  // namespace

std::string render_vrrp(const nlohmann::json& vrrp) {
    std::ostringstream o;
    const auto instances = vrrp.value("instances", nlohmann::json::array());
    if (instances.empty()) {
        o << "no vrrp_instance configured\n";
    }
    for (const auto& in : instances) {
        o << in.value("name", "?") << ": " << in.value("state", "?") << "  (interface "
          << in.value("interface", "?") << ", VRID " << in.value("virtual_router_id", 0) << ", VRRPv"
          << in.value("version", 0) << ", " << in.value("mode", "multicast") << ")\n";
        o << "  priority       " << in.value("effective_priority", 0) << " effective, " << in.value("base_priority", 0)
          << " configured\n";
        const std::string master = in.value("master_address", "");
        o << "  master         " << (master.empty() ? "unknown" : master) << "  (we send from "
          << in.value("source_address", "?") << ")\n";
        o << "  advert_int     " << in.value("advert_int", 0.0) << " s (master's: "
          << in.value("master_adver_interval_cs", 0) << " cs)\n";
        const double since = in.value("seconds_since_transition", -1.0);
        o << "  last change    " << (since < 0 ? std::string("never") : human_duration(since) + " ago") << '\n';
        o << "  addresses      " << join(in.value("virtual_ipaddress", nlohmann::json::array())) << '\n';
        if (!in.value("unicast_peer", nlohmann::json::array()).empty()) {
            o << "  unicast peers  " << join(in.value("unicast_peer", nlohmann::json::array())) << '\n';
        }
        if (!in.value("virtual_mac", std::string()).empty()) {
            o << "  virtual MAC    " << in.value("virtual_mac", "") << '\n';
        }
        const auto failing = in.value("failing_tracked", nlohmann::json::array());
        o << "  tracking       " << (failing.empty() ? std::string("all up") : "down: " + join(failing))
          << (in.value("fault", false) ? "  -> FAULT" : "") << '\n';
        const auto c = in.value("counters", nlohmann::json::object());
        o << "  adverts        " << c.value("adverts_sent", 0) << " sent, " << c.value("adverts_received", 0)
          << " received; priority 0: " << c.value("priority_zero_sent", 0) << " sent, "
          << c.value("priority_zero_received", 0) << " received\n";
        o << "  transitions    became master " << c.value("became_master", 0) << ", released master "
          << c.value("released_master", 0) << "; gratuitous ARPs " << c.value("garps_sent", 0) << '\n';
        std::string drops;
        const nlohmann::json drop_counts = c.contains("drops") ? c["drops"] : nlohmann::json::object();
        for (const auto& [name, n] : drop_counts.items()) {
            if (n.get<std::uint64_t>() == 0) continue;
            drops += (drops.empty() ? "" : ", ") + name + " " + std::to_string(n.get<std::uint64_t>());
        }
        o << "  dropped        " << (drops.empty() ? "none" : drops) << '\n';
    }
    std::string unmatched;
    const nlohmann::json unmatched_counts =
        vrrp.contains("unmatched_drops") ? vrrp["unmatched_drops"] : nlohmann::json::object();
    for (const auto& [name, n] : unmatched_counts.items()) {
        unmatched += (unmatched.empty() ? "" : ", ") + name + " " + std::to_string(n.get<std::uint64_t>());
    }
    if (!unmatched.empty()) {
        o << "adverts matching no instance: " << unmatched << '\n';
    }
    return o.str();
}

}  // namespace sluice::cli
