#pragma once
// The control plane's logger: plain text (keepalived-like lines) or JSON lines,
// to a stream (stderr by default). One object, passed by reference: no global.
// Never used on the dataplane's hot path.

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "controlplane/config/model.h"

namespace sluice::controlplane {

using config::LogFormat;
using config::LogLevel;

// The syslog(3) priority for a level: trace and debug LOG_DEBUG, info
// LOG_INFO, notice LOG_NOTICE, warning LOG_WARNING, error LOG_ERR.
int syslog_priority(LogLevel level);

// "info" -> LogLevel::info; false when the name is unknown.
bool parse_log_level(std::string_view name, LogLevel& out);
std::string_view log_level_name(LogLevel level);

class Logger {
public:
    Logger(std::ostream& out, std::string ident, LogLevel level = LogLevel::info,
           LogFormat format = LogFormat::text);

    void set_level(LogLevel level) { level_ = level; }
    void set_format(LogFormat format) { format_ = format; }
    // Send lines to syslog (facility daemon, the ident and pid) instead of the
    // stream; the syslog priority follows the level (syslog_priority()).
    void use_syslog();
    bool syslog() const { return syslog_; }
    bool enabled(LogLevel level) const { return level >= level_; }

    void log(LogLevel level, std::string_view message);
    void debug(std::string_view m) { log(LogLevel::debug, m); }
    void info(std::string_view m) { log(LogLevel::info, m); }
    void notice(std::string_view m) { log(LogLevel::notice, m); }
    void warning(std::string_view m) { log(LogLevel::warning, m); }
    void error(std::string_view m) { log(LogLevel::error, m); }

private:
    std::ostream& out_;
    std::string ident_;
    LogLevel level_;
    LogFormat format_;
    bool syslog_ = false;
    std::mutex mutex_;  // the EAL's threads may log through us at start-up
};

}  // namespace sluice::controlplane
