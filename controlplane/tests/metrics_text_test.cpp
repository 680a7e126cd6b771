#include "controlplane/metrics_text.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "controlplane/metrics_exposition.h"
#include "controlplane/status_json.h"

namespace sluice::controlplane {
namespace {

using nlohmann::json;

// The status part from the real producer, so its field names are the real ones.
json sample_status() {
    StatusInfo info;
    info.version = "0.3.0";
    dataplane::PortStatus p;
    p.name = "front";
    p.link_up = true;
    p.ipackets = 1000;
    p.opackets = 900;
    p.imissed = 3;
    info.ports.push_back(p);
    dataplane::WorkerStatus w;
    w.lcore = 1;
    w.rx_packets = 1000;
    w.polls = 5000;
    w.idle_polls = 4000;
    info.workers.push_back(w);
    info.forward.drops[1] = 4;
    ServiceStatus s{"web", "198.18.0.100", 80, "tcp", "wrr", "nat", {}, {}};
    s.stats.connections = 300;
    s.stats.packets_in = 2100;
    s.stats.bytes_in = 150000;
    BackendStatus b{"198.18.1.11", 80, 2, {}};
    b.stats.connections = 100;
    b.stats.active = 5;
    b.stats.inactive = 1;
    s.backends.push_back(b);
    info.services.push_back(s);
    auto j = status_to_json(info);
    j["reloads"] = 2;
    return j;
}

json sample_vrrp() {
    return json::parse(
        R"({"instances": [{"name": "VI_1", "interface": "front", "virtual_router_id": 51,
        "state": "MASTER", "effective_priority": 100,
        "counters": {"adverts_sent": 42, "adverts_received": 7, "became_master": 1, "released_master": 0,
                     "priority_zero_sent": 0, "priority_zero_received": 1, "garps_sent": 5, "send_failed": 0,
                     "drops": {"bad_ttl": 2, "auth_mismatch": 0}}}],
        "unmatched_drops": {"unknown_vrid": 3}})");
}

json sample_checks() {
    return json::parse(R"({"services": [{"name": "web", "quorum_up": true, "real_servers": [
        {"address": "198.18.1.11", "port": 80, "check": "http", "health": "up", "attempts": 10, "failures": 1,
         "last_result": {"success": true, "reason": "", "latency_ms": 1.5, "seconds_ago": 0.2}},
        {"address": "198.18.1.12", "port": 80, "check": "none", "health": "up"},
        {"address": "198.18.1.13", "port": 80, "check": "tcp", "health": "down", "attempts": 3, "failures": 3}]}],
        "scheduling": {"samples": 10, "p50_ms": 0.25, "p99_ms": 2.0, "max_ms": 3.0}})");
}

std::string sample_text() {
    return render_metrics({sample_status(), sample_vrrp(), sample_checks()});
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(MetricsText, IpvsLikeServiceAndBackendMetrics) {
    const auto t = sample_text();
    EXPECT_TRUE(has_line(t, "# TYPE sluice_virtual_server_connections_total counter")) << t;
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_virtual_server_connections_total{service="web",vip="198.18.0.100",port="80",protocol="tcp"} 300)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_virtual_server_incoming_packets_total{service="web",vip="198.18.0.100",port="80",protocol="tcp"} 2100)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_backend_connections_active{service="web",backend="198.18.1.11",port="80"} 5)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_backend_connections_inactive{service="web",backend="198.18.1.11",port="80"} 1)"));
    EXPECT_TRUE(
        has_line(t, R"(sluice_backend_weight{service="web",backend="198.18.1.11",port="80"} 2)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_backend_connections_total{service="web",backend="198.18.1.11",port="80"} 100)"));
}

TEST(MetricsText, KeepalivedLikeVrrpMetrics) {
    const auto t = sample_text();
    EXPECT_TRUE(has_line(t, "# TYPE sluice_vrrp_state gauge"));
    EXPECT_TRUE(has_line(sample_text(), "# TYPE sluice_check_scheduling_drift_seconds summary"));
    EXPECT_TRUE(has_line(t, R"(sluice_vrrp_state{instance="VI_1",interface="front",vrid="51"} 2)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_vrrp_advertisements_sent_total{instance="VI_1",interface="front",vrid="51"} 42)"));
    EXPECT_TRUE(has_line(
        t, R"(sluice_vrrp_become_master_total{instance="VI_1",interface="front",vrid="51"} 1)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_vrrp_priority_zero_received_total{instance="VI_1",interface="front",vrid="51"} 1)"));
    EXPECT_TRUE(has_line(
        t, R"(sluice_vrrp_effective_priority{instance="VI_1",interface="front",vrid="51"} 100)"));
    EXPECT_TRUE(has_line(t, R"(sluice_vrrp_drops_total{instance="VI_1",reason="bad_ttl"} 2)"));
    EXPECT_TRUE(has_line(t, R"(sluice_vrrp_unmatched_drops_total{reason="unknown_vrid"} 3)"));
}

TEST(MetricsText, VrrpStatesAreNumberedAsTheKeepalivedExporter) {
    for (const auto& [state, n] :
         {std::pair{"INIT", "0"}, {"BACKUP", "1"}, {"MASTER", "2"}, {"FAULT", "3"}}) {
        auto v = sample_vrrp();
        v["instances"][0]["state"] = state;
        const auto t = render_metrics({json::object(), v, json::object()});
        EXPECT_TRUE(has_line(
            t,
            std::string(R"(sluice_vrrp_state{instance="VI_1",interface="front",vrid="51"} )") + n))
            << state;
    }
}

TEST(MetricsText, ChecksDropsPortsWorkers) {
    const auto t = sample_text();
    EXPECT_TRUE(
        has_line(t, R"(sluice_backend_up{service="web",backend="198.18.1.11",port="80"} 1)"));
    EXPECT_TRUE(
        has_line(t, R"(sluice_backend_up{service="web",backend="198.18.1.12",port="80"} 1)"));
    EXPECT_TRUE(
        has_line(t, R"(sluice_backend_up{service="web",backend="198.18.1.13",port="80"} 0)"));
    EXPECT_TRUE(has_line(
        t, R"(sluice_check_up{service="web",backend="198.18.1.11",port="80",check="http"} 1)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_check_failures_total{service="web",backend="198.18.1.13",port="80",check="tcp"} 3)"));
    EXPECT_TRUE(has_line(
        t,
        R"(sluice_check_latency_seconds{service="web",backend="198.18.1.11",port="80",check="http"} 0.0015)"));
    EXPECT_EQ(t.find("backend=\"198.18.1.12\",port=\"80\",check="), std::string::npos)
        << "no check, no check metrics";
    EXPECT_TRUE(has_line(t, R"(sluice_check_scheduling_drift_seconds{quantile="0.5"} 0.00025)"));
    EXPECT_TRUE(has_line(t, R"(sluice_check_scheduling_drift_seconds{quantile="0.99"} 0.002)"));
    EXPECT_TRUE(has_line(t, "# TYPE sluice_drops_total counter"));
    EXPECT_NE(t.find("sluice_drops_total{reason=\""), std::string::npos);
    EXPECT_TRUE(has_line(t, R"(sluice_port_rx_packets_total{port="front"} 1000)"));
    EXPECT_TRUE(has_line(t, R"(sluice_port_rx_missed_total{port="front"} 3)"));
    EXPECT_TRUE(has_line(t, R"(sluice_port_up{port="front"} 1)"));
    EXPECT_TRUE(has_line(t, R"(sluice_worker_rx_packets_total{lcore="1"} 1000)"));
    EXPECT_TRUE(has_line(t, R"(sluice_worker_idle_polls_total{lcore="1"} 4000)"));
    EXPECT_TRUE(has_line(t, "sluice_up 1"));
    EXPECT_TRUE(has_line(t, R"(sluice_build_info{version="0.3.0"} 1)"));
    EXPECT_TRUE(has_line(t, "sluice_config_reloads_total 2"));
}

TEST(MetricsText, EveryCounterEndsInTotal) {
    const auto t = sample_text();
    std::size_t pos = 0;
    int counters = 0;
    while ((pos = t.find("# TYPE ", pos)) != std::string::npos) {
        const auto end = t.find('\n', pos);
        const auto line = t.substr(pos, end - pos);
        if (line.ends_with(" counter")) {
            ++counters;
            EXPECT_NE(line.find("_total counter"), std::string::npos) << line;
        }
        pos = end;
    }
    EXPECT_GT(counters, 20);
}

TEST(MetricsText, EscapesLabelValuesAndHelp) {
    EXPECT_EQ(metrics::escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    EXPECT_EQ(metrics::escape_help("x\\y\nz\""), "x\\\\y\\nz\"");
    auto v = sample_vrrp();
    v["instances"][0]["name"] = "VI \"odd\"\\1";
    const auto t = render_metrics({json::object(), v, json::object()});
    EXPECT_TRUE(
        has_line(t, R"(sluice_vrrp_state{instance="VI \"odd\"\\1",interface="front",vrid="51"} 2)"))
        << t;
}

TEST(MetricsText, ValuesAndMissingFields) {
    EXPECT_EQ(metrics::format_value(json(18446744073709551615ULL)), "18446744073709551615");
    EXPECT_EQ(metrics::format_value(json(-3)), "-3");
    EXPECT_EQ(metrics::format_value(json(0.1)), "0.1");
    EXPECT_EQ(metrics::format_value(json(true)), "1");
    EXPECT_EQ(metrics::format_value(json("x")), "");
    EXPECT_EQ(metrics::format_value(json()), "");
    // Nothing but sluice_up and sluice_build_info from empty sources; no crash.
    const auto t = render_metrics({json::object(), json::object(), json::object()});
    EXPECT_TRUE(has_line(t, "sluice_up 1"));
    EXPECT_EQ(t.find("sluice_vrrp_"), std::string::npos);
}

TEST(MetricsText, PassesPromtoolCheckMetrics) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
        GTEST_SKIP() << "promtool is not installed (scripts/setup installs it)";
    }
    char path[] = "/tmp/sluice-metrics-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    {
        std::ofstream out(path);
        out << sample_text();
    }
    const std::string cmd =
        std::string("promtool check metrics < ") + path + " > " + path + ".out 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream in(std::string(path) + ".out");
    const std::string report((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << report;
    EXPECT_EQ(report, "") << report;
    std::remove(path);
    std::remove((std::string(path) + ".out").c_str());
}

}  // namespace
}  // namespace sluice::controlplane
