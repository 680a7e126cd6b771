#include "controlplane/check_settings.h"

#include <cmath>
#include <sstream>

#include "checks/dns_message.h"
#include "controlplane/process/split_command.h"

namespace sluice::controlplane {

namespace {

std::chrono::microseconds micros(double seconds) {
    return std::chrono::microseconds(std::llround(std::max(seconds, 0.0) * 1e6));
}

checks::CheckType type_of(config::CheckType t) {
    switch (t) {
        case config::CheckType::tcp: return checks::CheckType::tcp;
        case config::CheckType::http: return checks::CheckType::http;
        case config::CheckType::https: return checks::CheckType::https;
        case config::CheckType::misc: return checks::CheckType::misc;
        case config::CheckType::udp: return checks::CheckType::udp;
        case config::CheckType::dns: return checks::CheckType::dns;
    }
    return checks::CheckType::tcp;
}

}  // namespace

const char* check_type_name(config::CheckType type) {
    switch (type) {
        case config::CheckType::tcp: return "tcp";
        case config::CheckType::http: return "http";
        case config::CheckType::https: return "https";
        case config::CheckType::misc: return "misc";
        case config::CheckType::udp: return "udp";
        case config::CheckType::dns: return "dns";
    }
    return "?";
}

checks::CheckSpec check_spec_of(const config::VirtualServer& vs, const config::RealServer& rs,
                                const config::Global& global) {
    (void)vs;
    const config::HealthCheck& c = *rs.check;
    checks::CheckSpec s;
    s.type = type_of(c.type);
    s.connect_timeout = micros(c.connect_timeout);
    s.http.path = c.path;
    for (const auto& [low, high] : c.status_code) s.http.status_codes.push_back({low, high});
    s.http.virtualhost = c.virtualhost;
    s.http.body_regex = c.body_regex;
    s.http.digest = c.digest;
    s.tls.verify = c.ssl_verify;
    s.tls.ca_file = c.ssl_ca_file;
    s.tls.sni = c.sni;
    std::string error;
    s.misc.argv = c.misc_path.empty() ? std::vector<std::string>{} : process::split_command(c.misc_path, error);
    s.misc.timeout = micros(c.misc_timeout);
    s.misc.dynamic = c.misc_dynamic;
    s.misc.user = c.user.empty() ? global.script_user : c.user;
    s.udp.payload = c.payload;
    s.udp.require_reply = c.require_reply;
    s.dns.name = c.dns_name;
    s.dns.type = checks::parse_dns_type(c.dns_type).value_or(checks::dns_type::a);
    return s;
}

checks::CheckTarget check_target_of(const config::RealServer& rs) {
    checks::CheckTarget t;
    t.address = rs.address;
    t.port = rs.check && rs.check->connect_port ? *rs.check->connect_port : rs.port;
    if (rs.check) t.bindto = rs.check->bindto;
    return t;
}

std::string check_settings_key(const config::VirtualServer& vs, const config::RealServer& rs) {
    const config::HealthCheck& c = *rs.check;
    std::ostringstream k;
    k << check_type_name(c.type) << '|' << (c.connect_port ? *c.connect_port : 0) << '|'
      << (c.bindto ? c.bindto->to_string() : "") << '|' << c.connect_timeout << '|'
      << c.delay_loop.value_or(vs.delay_loop) << '|' << c.retry << '|' << c.delay_before_retry << '|' << c.rise << '|'
      << c.fall << '|' << c.path << '|';
    for (const auto& [low, high] : c.status_code) k << low << '-' << high << ',';
    k << '|' << c.virtualhost << '|' << c.body_regex << '|' << c.digest << '|' << c.ssl_verify << '|' << c.ssl_ca_file
      << '|' << c.sni << '|' << c.misc_path << '|' << c.misc_timeout << '|' << c.misc_dynamic << '|' << c.user << '|'
      << c.payload << '|' << c.require_reply << '|' << c.dns_name << '|' << c.dns_type;
    return k.str();
}

}  // namespace sluice::controlplane
