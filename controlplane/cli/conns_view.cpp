#include "controlplane/cli/conns_view.h"

#include <cstdio>
#include <sstream>

namespace sluice::cli {

namespace {

std::string pad(const std::string& s, std::size_t width) {
    return s.size() < width ? s + std::string(width - s.size(), ' ') : s + ' ';
}

// ipvsadm's mm:ss.
std::string expire(std::uint64_t seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02llu:%02llu", static_cast<unsigned long long>(seconds / 60),
                  static_cast<unsigned long long>(seconds % 60));
    return buf;
}

}  // namespace

std::string render_conns(const nlohmann::json& conns) {
    std::ostringstream o;
    o << "pro expire state       source                virtual               destination           "
         "worker\n";
    const nlohmann::json rows =
        conns.contains("connections") ? conns["connections"] : nlohmann::json::array();
    for (const auto& c : rows) {
        o << pad(c.value("protocol", "?"), 4)
          << pad(expire(c.value("expire_s", std::uint64_t{0})), 7) << pad(c.value("state", "?"), 12)
          << pad(c.value("client", "?"), 22) << pad(c.value("virtual", "?"), 22)
          << pad(c.value("real_server", "?"), 22) << c.value("worker_lcore", 0) << '\n';
    }
    o << rows.size() << (rows.size() == 1 ? " connection" : " connections");
    if (conns.value("truncated", false)) {
        o << " (truncated at the limit of " << conns.value("limit", 0)
          << "; use --limit or a filter)";
    }
    o << '\n';
    for (const auto& w : conns.value("workers_not_answering", nlohmann::json::array())) {
        o << "worker on lcore " << w.get<std::uint64_t>()
          << " is not answering: its connections are missing\n";
    }
    return o.str();
}

}  // namespace sluice::cli
