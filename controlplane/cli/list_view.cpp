#include "controlplane/cli/list_view.h"

#include <cstdio>
#include <sstream>

namespace sluice::cli {

namespace {

std::string pad(const std::string& s, std::size_t width) {
    return s.size() < width ? s + std::string(width - s.size(), ' ') : s + ' ';
}

std::string right(const std::string& s, std::size_t width) {
    return s.size() < width ? std::string(width - s.size(), ' ') + s : ' ' + s;
}

std::string whole(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

std::string endpoint(const nlohmann::json& j, const char* address_key) {
    return j.value(address_key, "?") + ":" + std::to_string(j.value("port", 0));
}

// Five right-aligned columns: conns/packets/bytes totals or their rates.
std::string numbers(const nlohmann::json& j, ListMode mode) {
    std::string out;
    if (mode == ListMode::stats) {
        for (const char* k :
             {"connections", "packets_in", "packets_out", "bytes_in", "bytes_out"}) {
            out += right(std::to_string(j.value(k, std::uint64_t{0})), 10);
        }
    } else {
        for (const char* k : {"connections_per_s", "packets_in_per_s", "packets_out_per_s",
                              "bytes_in_per_s", "bytes_out_per_s"}) {
            out += right(whole(j.value(k, 0.0)), 10);
        }
    }
    return out;
}

}  // namespace

std::string render_list(const nlohmann::json& list, ListMode mode) {
    std::ostringstream o;
    const nlohmann::json services =
        list.contains("services") ? list["services"] : nlohmann::json::array();
    if (mode == ListMode::plain) {
        o << "Prot LocalAddress:Port Scheduler Flags\n"
          << "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn Health State\n";
    } else if (mode == ListMode::stats) {
        o << pad("Prot LocalAddress:Port", 34) << right("Conns", 10) << right("InPkts", 10)
          << right("OutPkts", 10) << right("InBytes", 10) << right("OutBytes", 10)
          << "\n  -> RemoteAddress:Port\n";
    } else {
        o << pad("Prot LocalAddress:Port", 34) << right("CPS", 10) << right("InPPS", 10)
          << right("OutPPS", 10) << right("InBPS", 10) << right("OutBPS", 10)
          << "\n  -> RemoteAddress:Port\n";
    }
    if (services.empty()) {
        o << "no virtual_server configured\n";
    }
    const char* section = mode == ListMode::stats ? "stats" : "rate";
    for (const auto& s : services) {
        const std::string head = pad(s.value("protocol", "?"), 5) + endpoint(s, "vip");
        if (mode == ListMode::plain) {
            o << head << ' ' << s.value("scheduler", "?");
            for (const auto& f : s.value("flags", nlohmann::json::array())) {
                o << ' ' << f.get<std::string>();
            }
            o << "  (" << s.value("name", "?") << ")\n";
        } else {
            o << pad(head, 34) << numbers(s.value(section, nlohmann::json::object()), mode) << "  ("
              << s.value("name", "?") << ")\n";
        }
        for (const auto& r : s.value("real_servers", nlohmann::json::array())) {
            const std::string rs = "  -> " + endpoint(r, "address");
            if (mode == ListMode::plain) {
                o << pad(rs, 35) << pad(r.value("method", "?"), 8)
                  << pad(std::to_string(r.value("weight", 0)), 7)
                  << pad(std::to_string(r.value("active_connections", 0)), 11)
                  << pad(std::to_string(r.value("inactive_connections", 0)), 10)
                  << pad(r.value("health", "-"), 7) << r.value("state", "-");
                if (r.contains("override")) {
                    o << " [override: " << r["override"].get<std::string>() << ']';
                }
                o << '\n';
            } else {
                o << pad(rs, 34) << numbers(r.value(section, nlohmann::json::object()), mode)
                  << '\n';
            }
        }
    }
    return o.str();
}

}  // namespace sluice::cli
