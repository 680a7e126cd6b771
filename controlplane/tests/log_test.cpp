#include "controlplane/log.h"

#include <sstream>

#include <gtest/gtest.h>
#include <syslog.h>
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

TEST(Logger, SyslogPriorityFollowsTheLevel) {
    EXPECT_EQ(syslog_priority(LogLevel::trace), LOG_DEBUG);
    EXPECT_EQ(syslog_priority(LogLevel::debug), LOG_DEBUG);
    EXPECT_EQ(syslog_priority(LogLevel::info), LOG_INFO);
    EXPECT_EQ(syslog_priority(LogLevel::notice), LOG_NOTICE);
    EXPECT_EQ(syslog_priority(LogLevel::warning), LOG_WARNING);
    EXPECT_EQ(syslog_priority(LogLevel::error), LOG_ERR);
}

}  // namespace
}  // namespace sluice::controlplane
