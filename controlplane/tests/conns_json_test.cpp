#include "controlplane/conns_json.h"

#include <gtest/gtest.h>

namespace sluice::controlplane {
namespace {

using dataplane::conn::DumpRecord;

DumpRecord record(std::uint16_t client_port) {
    DumpRecord r;
    r.client_ip = 0xc612000a;  // 198.18.0.10
    r.client_port = client_port;
    r.vip_ip = 0xc6120064;  // 198.18.0.100
    r.vip_port = 80;
    r.backend_ip = 0xc612010b;  // 198.18.1.11
    r.backend_port = 80;
    r.proto = dataplane::conn::kProtoTcp;
    r.state = dataplane::conn::TcpState::established;
    r.expires_in_s = 899;
    return r;
}

TEST(ConnsJson, OneRowLikeIpvsadmLnc) {
    const auto j = conn_record_to_json(record(40000), 3);
    EXPECT_EQ(j["protocol"], "TCP");
    EXPECT_EQ(j["expire_s"], 899);
    EXPECT_EQ(j["state"], "ESTABLISHED");
    EXPECT_EQ(j["client"], "198.18.0.10:40000");
    EXPECT_EQ(j["virtual"], "198.18.0.100:80");
    EXPECT_EQ(j["real_server"], "198.18.1.11:80");
    EXPECT_EQ(j["method"], "nat");
    EXPECT_EQ(j["worker_lcore"], 3);
}

TEST(ConnsJson, MergesWorkersCutsToTheLimitAndNamesSilentWorkers) {
    const std::vector<DumpRecord> w1{record(1), record(2)};
    const std::vector<DumpRecord> w2{record(3), record(4)};
    std::vector<dataplane::Dataplane::ConnDumpAnswer> answers(3);
    answers[0] = {1, true, w1, false};
    answers[1] = {2, true, w2, false};
    answers[2] = {3, false, {}, false};
    const auto j = conns_to_json(answers, 3);
    EXPECT_EQ(j["connections"].size(), 3u);
    EXPECT_TRUE(j["truncated"].get<bool>());
    EXPECT_EQ(j["connections"][2]["worker_lcore"], 2);
    EXPECT_EQ(j["workers_not_answering"], nlohmann::json::array({3}));

    const auto all = conns_to_json({answers[0], answers[1]}, 4);
    EXPECT_EQ(all["connections"].size(), 4u);
    EXPECT_FALSE(all["truncated"].get<bool>());
}

TEST(ConnsJson, AWorkerThatHitItsLimitMakesItTruncated) {
    const std::vector<DumpRecord> w1{record(1)};
    std::vector<dataplane::Dataplane::ConnDumpAnswer> answers(1);
    answers[0] = {1, true, w1, true};
    EXPECT_TRUE(conns_to_json(answers, 1)["truncated"].get<bool>());
}

}  // namespace
}  // namespace sluice::controlplane
