#include "controlplane/cli/workers_view.h"

#include <cstdio>
#include <sstream>

namespace sluice::cli {

namespace {

std::string right(const std::string& s, std::size_t width) {
    return s.size() < width ? std::string(width - s.size(), ' ') + s : ' ' + s;
}

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

std::string render_workers(const nlohmann::json& status) {
    std::ostringstream o;
    o << right("lcore", 6) << right("queue", 6) << right("rx_packets", 14) << right("rx_pps", 12)
      << right("tx_pps", 12) << right("busy", 8) << right("connections", 13) << '\n';
    for (const auto& w : status.value("workers", nlohmann::json::array())) {
        const bool rated = w.contains("busy_share");
        o << right(std::to_string(w.value("lcore", 0)), 6)
          << right(std::to_string(w.value("queue", 0)), 6)
          << right(std::to_string(w.value("rx_packets", std::uint64_t{0})), 14)
          << right(rated ? fixed(w.value("rx_packets_per_s", 0.0), 0) : "-", 12)
          << right(rated ? fixed(w.value("tx_packets_per_s", 0.0), 0) : "-", 12)
          << right(rated ? fixed(100.0 * w.value("busy_share", 0.0), 1) + "%" : "-", 8)
          << right(std::to_string(w.value("connections", std::uint64_t{0})), 13) << '\n';
    }
    const auto workers = status.value("workers", nlohmann::json::array());
    if (!workers.empty() && workers[0].contains("window_s")) {
        o << "rates over the last " << fixed(workers[0].value("window_s", 0.0), 0) << " s\n";
    } else {
        o << "rates: not sampled yet (one sample a second)\n";
    }
    return o.str();
}

}  // namespace sluice::cli
