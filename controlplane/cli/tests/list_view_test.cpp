#include "controlplane/cli/list_view.h"

#include <gtest/gtest.h>

namespace sluice::cli {
namespace {

const char* kList = R"({"services":[{"name":"web","vip":"198.18.0.100","port":80,"protocol":"TCP",
  "scheduler":"wrr","method":"nat","flags":["persistent 300"],
  "stats":{"connections":42,"packets_in":400,"packets_out":380,"bytes_in":30000,"bytes_out":90000},
  "rate":{"window_s":9,"connections_per_s":12.4,"packets_in_per_s":100,"packets_out_per_s":90,
          "bytes_in_per_s":8000,"bytes_out_per_s":64000},
  "real_servers":[
    {"address":"198.18.1.11","port":80,"method":"nat","weight":1,"active_connections":3,
     "inactive_connections":7,"health":"up","state":"serving",
     "stats":{"connections":7,"packets_in":1,"packets_out":2,"bytes_in":3,"bytes_out":4},
     "rate":{"connections_per_s":2,"packets_in_per_s":0,"packets_out_per_s":0,"bytes_in_per_s":0,
             "bytes_out_per_s":0}},
    {"address":"198.18.1.12","port":80,"method":"nat","weight":0,"active_connections":0,
     "inactive_connections":0,"health":"up","state":"drained","override":"drain"}]}]})";

TEST(ListView, PlainLooksLikeIpvsadmLn) {
    const auto text = render_list(nlohmann::json::parse(kList), ListMode::plain);
    EXPECT_NE(text.find("Prot LocalAddress:Port Scheduler Flags"), std::string::npos) << text;
    EXPECT_NE(text.find("TCP  198.18.0.100:80 wrr persistent 300  (web)"), std::string::npos)
        << text;
    EXPECT_NE(text.find("  -> 198.18.1.11:80"), std::string::npos) << text;
    EXPECT_NE(text.find("nat     1      3          7         up     serving"), std::string::npos)
        << text;
    EXPECT_NE(text.find("drained [override: drain]"), std::string::npos) << text;
}

TEST(ListView, StatsShowsTotals) {
    const auto text = render_list(nlohmann::json::parse(kList), ListMode::stats);
    EXPECT_NE(text.find("Conns"), std::string::npos) << text;
    EXPECT_NE(text.find("        42       400       380     30000     90000  (web)"),
              std::string::npos)
        << text;
}

TEST(ListView, RateShowsPerSecondValues) {
    const auto text = render_list(nlohmann::json::parse(kList), ListMode::rate);
    EXPECT_NE(text.find("CPS"), std::string::npos) << text;
    EXPECT_NE(text.find("        12       100        90      8000     64000  (web)"),
              std::string::npos)
        << text;
    // A real server without a rate yet shows zeros rather than nothing.
    EXPECT_NE(text.find("198.18.1.12:80"), std::string::npos) << text;
}

TEST(ListView, NoServices) {
    EXPECT_NE(render_list(nlohmann::json::parse(R"({"services":[]})"), ListMode::plain)
                  .find("no virtual_server"),
              std::string::npos);
}

}  // namespace
}  // namespace sluice::cli
