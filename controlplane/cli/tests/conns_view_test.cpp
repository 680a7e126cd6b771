#include "controlplane/cli/conns_view.h"

#include <gtest/gtest.h>

namespace sluice::cli {
namespace {

TEST(ConnsView, RowsLikeIpvsadmLncWithTheWorker) {
    const auto v = nlohmann::json::parse(R"({"connections":[
      {"protocol":"TCP","expire_s":899,"state":"ESTABLISHED","client":"198.18.0.10:40000",
       "virtual":"198.18.0.100:80","real_server":"198.18.1.11:80","method":"nat","worker_lcore":1}],
      "limit":1,"truncated":true,"workers_not_answering":[2]})");
    const auto text = render_conns(v);
    EXPECT_NE(text.find("pro expire state"), std::string::npos) << text;
    EXPECT_NE(text.find("TCP 14:59  ESTABLISHED 198.18.0.10:40000     198.18.0.100:80       "
                        "198.18.1.11:80        1"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("1 connection (truncated at the limit of 1"), std::string::npos) << text;
    EXPECT_NE(text.find("worker on lcore 2 is not answering"), std::string::npos) << text;
}

TEST(ConnsView, EmptyAndComplete) {
    const auto text = render_conns(nlohmann::json::parse(
        R"({"connections":[],"limit":100,"truncated":false,"workers_not_answering":[]})"));
    EXPECT_NE(text.find("0 connections\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("truncated"), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice::cli
