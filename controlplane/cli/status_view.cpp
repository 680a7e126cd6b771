#include "controlplane/cli/status_view.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace sluice::cli {
namespace {

// A minimal column layout: left-aligned text, right-aligned numbers.
class Table {
public:
    explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

    std::string render(std::size_t left_aligned_columns) const {
        std::vector<std::size_t> width(rows_.front().size(), 0);
        for (const auto& r : rows_) {
            for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) {
                width[i] = std::max(width[i], r[i].size());
            }
        }
        std::string out;
        for (const auto& r : rows_) {
            std::string line;
            for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) {
                const std::string pad(width[i] - r[i].size(), ' ');
                line += i < left_aligned_columns ? r[i] + pad : pad + r[i];
                line += i + 1 < r.size() ? "  " : "";
            }
            while (!line.empty() && line.back() == ' ') {
                line.pop_back();
            }
            out += line + '\n';
        }
        return out;
    }

private:
    std::vector<std::vector<std::string>> rows_;
};

std::uint64_t u64(const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_number_unsigned() ? j[key].get<std::uint64_t>() : 0;
}

std::string str(const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

}  // namespace

std::string human_count(std::uint64_t n) {
    if (n < 10000) {
        return std::to_string(n);
    }
    const char* units[] = {"K", "M", "G", "T", "P"};
    auto v = static_cast<double>(n);
    int u = -1;
    while (v >= 1000.0 && u < 4) {
        v /= 1000.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%s", v, units[u]);
    return buf;
}

std::string human_duration(double seconds) {
    auto s = static_cast<std::uint64_t>(seconds);
    const auto d = s / 86400;
    const auto h = (s / 3600) % 24;
    const auto m = (s / 60) % 60;
    s %= 60;
    std::string out;
    if (d != 0) {
        out += std::to_string(d) + "d ";
    }
    if (d != 0 || h != 0) {
        out += std::to_string(h) + "h ";
    }
    if (d != 0 || h != 0 || m != 0) {
        out += std::to_string(m) + "m ";
    }
    return out + std::to_string(s) + "s";
}

std::string render_status(const nlohmann::json& st) {
    std::string out = "sluiced " + str(st, "version") + " on node '" + str(st, "node_name") + "', pid " +
                      std::to_string(st.value("pid", 0L)) + ", up " +
                      human_duration(st.value("uptime_s", 0.0)) + "\n";
    out += "config:    " + str(st, "config_file") + "\n";
    out += "memory:    " + std::string(st.value("hugepages", false) ? "hugepages" : "no hugepages (--no-huge)") +
           ", EAL prefix " + str(st, "eal_file_prefix") + "\n\n";

    Table ports({"PORT", "DEVICE", "DRIVER", "MAC", "LINK", "RX-PKTS", "RX-BYTES", "TX-PKTS",
                 "TX-BYTES", "MISSED", "ERRORS", "NOMBUF"});
    for (const auto& p : st.value("ports", nlohmann::json::array())) {
        const auto& s = p.contains("stats") ? p["stats"] : nlohmann::json::object();
        ports.add({str(p, "name"), str(p, "device"), str(p, "driver"), str(p, "mac"),
                   p.value("link_up", false) ? "up" : "down", human_count(u64(s, "ipackets")),
                   human_count(u64(s, "ibytes")), human_count(u64(s, "opackets")),
                   human_count(u64(s, "obytes")), human_count(u64(s, "imissed")),
                   human_count(u64(s, "ierrors") + u64(s, "oerrors")), human_count(u64(s, "rx_nombuf"))});
    }
    out += ports.render(5) + "\n";

    Table workers({"WORKER", "LCORE", "QUEUE", "RX-PKTS", "RX-BYTES", "POLLS", "IDLE"});
    std::size_t i = 0;
    for (const auto& w : st.value("workers", nlohmann::json::array())) {
        const auto polls = u64(w, "polls");
        const auto idle = u64(w, "idle_polls");
        char share[16];
        std::snprintf(share, sizeof share, "%.1f%%",
                      polls == 0 ? 0.0 : 100.0 * static_cast<double>(idle) / static_cast<double>(polls));
        workers.add({std::to_string(i++), std::to_string(u64(w, "lcore")), std::to_string(u64(w, "queue")),
                     human_count(u64(w, "rx_packets")), human_count(u64(w, "rx_bytes")),
                     human_count(polls), share});
    }
    out += workers.render(1);

    const auto services = st.value("services", nlohmann::json::array());
    if (!services.empty()) {
        Table table({"SERVICE", "ADDRESS", "PROTO", "SCHED", "FWD", "WEIGHT", "ACTIVE", "INACTIVE", "CONNS",
                     "PKTS-IN", "PKTS-OUT"});
        for (const auto& svc : services) {
            const auto& s = svc.contains("stats") ? svc["stats"] : nlohmann::json::object();
            table.add({str(svc, "name"), str(svc, "vip") + ":" + std::to_string(u64(svc, "port")),
                       str(svc, "protocol"), str(svc, "scheduler"), str(svc, "method"), "", "", "",
                       human_count(u64(s, "connections")), human_count(u64(s, "packets_in")),
                       human_count(u64(s, "packets_out"))});
            for (const auto& b : svc.value("backends", nlohmann::json::array())) {
                const auto& bs = b.contains("stats") ? b["stats"] : nlohmann::json::object();
                table.add({"  ->", str(b, "address") + ":" + std::to_string(u64(b, "port")), "", "", "",
                           std::to_string(u64(b, "weight")), human_count(u64(b, "active_connections")),
                           human_count(u64(b, "inactive_connections")), human_count(u64(bs, "connections")),
                           human_count(u64(bs, "packets_in")), human_count(u64(bs, "packets_out"))});
            }
        }
        out += "\n" + table.render(5);
    }
    if (st.contains("forwarding")) {
        const auto& f = st["forwarding"];
        out += "\nconnections: " + human_count(u64(f, "connections")) + " of " +
               human_count(u64(f, "connection_capacity")) + "; forwarded " + human_count(u64(f, "forwarded")) +
               ", ARP replies " + human_count(u64(f, "arp_replies")) + ", echo replies " +
               human_count(u64(f, "icmp_echo_replies")) + "\n";
        std::string drops;
        const auto all_drops = f.value("drops", nlohmann::json::object());  // items() must not outlive it
        for (const auto& [reason, n] : all_drops.items()) {
            if (n.is_number_unsigned() && n.get<std::uint64_t>() != 0) {
                drops += (drops.empty() ? "" : ", ") + reason + " " + human_count(n.get<std::uint64_t>());
            }
        }
        out += "drops: " + (drops.empty() ? std::string("none") : drops) + "\n";
    }

    const auto warnings = st.value("warnings", nlohmann::json::array());
    if (!warnings.empty()) {
        out += "\nwarnings:\n";
        for (const auto& w : warnings) {
            out += "  - " + (w.is_string() ? w.get<std::string>() : w.dump()) + "\n";
        }
    }
    return out;
}

}  // namespace sluice::cli
