#include "controlplane/cli/ports_view.h"

#include <sstream>

namespace sluice::cli {

namespace {

std::string right(const std::string& s, std::size_t width) {
    return s.size() < width ? std::string(width - s.size(), ' ') + s : ' ' + s;
}

std::string pad(const std::string& s, std::size_t width) {
    return s.size() < width ? s + std::string(width - s.size(), ' ') : s + ' ';
}

}  // namespace

std::string render_ports(const nlohmann::json& status) {
    std::ostringstream o;
    o << pad("port", 10) << pad("link", 12);
    for (const char* h : {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "imissed", "ierrors",
                          "oerrors", "rx_nombuf"}) {
        o << right(h, 12);
    }
    o << '\n';
    for (const auto& p : status.value("ports", nlohmann::json::array())) {
        const auto st = p.value("stats", nlohmann::json::object());
        const std::string link = p.value("link_up", false)
                                     ? "up " + std::to_string(p.value("link_speed_mbps", 0)) + "M"
                                     : "DOWN";
        o << pad(p.value("name", "?"), 10) << pad(link, 12);
        for (const char* k : {"ipackets", "ibytes", "opackets", "obytes", "imissed", "ierrors",
                              "oerrors", "rx_nombuf"}) {
            o << right(std::to_string(st.value(k, std::uint64_t{0})), 12);
        }
        o << '\n';
    }
    return o.str();
}

}  // namespace sluice::cli
