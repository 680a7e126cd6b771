#include "controlplane/log.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace sluice::controlplane {
namespace {

TEST(Logger, TextLinesCarryIdentLevelAndMessage) {
    std::ostringstream out;
    Logger log(out, "sluiced", LogLevel::info);
    log.debug("hidden");
    log.warning("(VI_1) Entering MASTER STATE");
    const auto s = out.str();
    EXPECT_EQ(s.find("hidden"), std::string::npos);
    EXPECT_NE(s.find("sluiced["), std::string::npos);
    EXPECT_NE(s.find("]: warning: (VI_1) Entering MASTER STATE\n"), std::string::npos);
}

TEST(Logger, JsonLinesParse) {
    std::ostringstream out;
    Logger log(out, "sluiced", LogLevel::debug, LogFormat::json);
    log.debug("quote \" and newline \n inside");
    const auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j["level"], "debug");
    EXPECT_EQ(j["msg"], "quote \" and newline \n inside");
    EXPECT_EQ(j["ident"], "sluiced");
}

TEST(Logger, LevelNames) {
    LogLevel l{};
    EXPECT_TRUE(parse_log_level("warning", l));
    EXPECT_EQ(l, LogLevel::warning);
    EXPECT_FALSE(parse_log_level("verbose", l));
    EXPECT_EQ(log_level_name(LogLevel::notice), "notice");
}

}  // namespace
}  // namespace sluice::controlplane
