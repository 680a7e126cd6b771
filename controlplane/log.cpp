#include "controlplane/log.h"

#include <syslog.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

namespace sluice::controlplane {
namespace {

constexpr std::array<std::string_view, 6> kLevelNames{"trace", "debug",   "info",
                                                      "notice", "warning", "error"};

std::string timestamp() {
    const auto now = std::chrono::system_clock::now();
    const auto t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%.*s.%03dZ", static_cast<int>(n), buf, static_cast<int>(ms.count()));
    return out;
}

}  // namespace

int syslog_priority(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
        case LogLevel::debug: return LOG_DEBUG;
        case LogLevel::info: return LOG_INFO;
        case LogLevel::notice: return LOG_NOTICE;
        case LogLevel::warning: return LOG_WARNING;
        case LogLevel::error: return LOG_ERR;
    }
    return LOG_INFO;
}

void Logger::use_syslog() {
    const std::lock_guard lock(mutex_);
    ::openlog(ident_.c_str(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
    syslog_ = true;
}

bool parse_log_level(std::string_view name, LogLevel& out) {
    for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
        if (kLevelNames[i] == name) {
            out = static_cast<LogLevel>(i);
            return true;
        }
    }
    return false;
}

std::string_view log_level_name(LogLevel level) { return kLevelNames[static_cast<std::size_t>(level)]; }

Logger::Logger(std::ostream& out, std::string ident, LogLevel level, LogFormat format)
    : out_(out), ident_(std::move(ident)), level_(level), format_(format) {}

void Logger::log(LogLevel level, std::string_view message) {
    if (!enabled(level)) {
        return;
    }
    if (syslog_) {
        // syslog adds the time, ident and pid itself.
        std::string text = format_ == LogFormat::json
                               ? nlohmann::json{{"level", log_level_name(level)}, {"msg", message}}.dump(
                                     -1, ' ', false, nlohmann::json::error_handler_t::replace)
                               : std::string(log_level_name(level)) + ": " + std::string(message);
        const std::lock_guard lock(mutex_);
        ::syslog(syslog_priority(level), "%s", text.c_str());
        return;
    }
    std::string line;
    if (format_ == LogFormat::json) {
        nlohmann::json j{{"ts", timestamp()},
                         {"level", log_level_name(level)},
                         {"ident", ident_},
                         {"pid", ::getpid()},
                         {"msg", message}};
        line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
        line = timestamp() + " " + ident_ + "[" + std::to_string(::getpid()) + "]: " +
               std::string(log_level_name(level)) + ": " + std::string(message);
    }
    line += '\n';
    const std::lock_guard lock(mutex_);
    out_ << line << std::flush;
}

}  // namespace sluice::controlplane
