#include "controlplane/cli/checks_view.h"

#include <gtest/gtest.h>

namespace sluice::cli {
namespace {

TEST(ChecksView, RendersQuorumSorryServerAndEachRealServer) {
    const auto v = nlohmann::json::parse(R"({"services":[{"name":"web","vip":"198.18.0.100","port":80,
      "quorum":1,"hysteresis":0,"alive_weight":4,"quorum_up":true,"sorry_server":"198.18.1.99","sorry_in_use":false,
      "real_servers":[
        {"address":"198.18.1.11","port":80,"configured_weight":1,"state":"serving","weight":1,"check":"http",
         "health":"up","since_s":65.0,"attempts":20,"failed_attempts":0,"failures":0,"consecutive_failures":0,
         "last_result":{"success":true,"reason":"status 200","latency_ms":1.25,"seconds_ago":2.0}},
        {"address":"198.18.1.12","port":80,"configured_weight":2,"state":"down_removed","weight":0,"check":"tcp",
         "health":"down","since_s":5.0,"attempts":9,"failed_attempts":3,"failures":3,"consecutive_failures":3,
         "last_result":{"success":false,"reason":"connection refused","latency_ms":0.3,"seconds_ago":1.0}},
        {"address":"198.18.1.13","port":80,"configured_weight":3,"state":"serving","weight":3,"check":"none",
         "health":"up"},
        {"address":"198.18.1.14","port":80,"configured_weight":3,"state":"drained","weight":0,"check":"none",
         "health":"up","override":"drain"}]}]})");
    const auto text = render_checks(v);
    EXPECT_NE(text.find("web  198.18.0.100:80  quorum up (alive weight 4, quorum 1, hysteresis 0)"),
              std::string::npos) << text;
    EXPECT_NE(text.find("sorry server 198.18.1.99 idle"), std::string::npos) << text;
    EXPECT_NE(text.find("198.18.1.12:80"), std::string::npos) << text;
    EXPECT_NE(text.find("tcp  down for 5s  down_removed weight 0  last: connection refused in 0.3 ms"),
              std::string::npos) << text;
    EXPECT_NE(text.find("failures 3/9 attempts"), std::string::npos) << text;
    EXPECT_NE(text.find("none  up  serving weight 3"), std::string::npos) << text;
    EXPECT_NE(text.find("drained weight 0 [override: drain, until reload]"), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice::cli
