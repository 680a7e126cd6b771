#include <algorithm>
#include <array>
#include <cctype>
#include <regex.h>

#include "controlplane/config/enum_names.h"
#include "controlplane/config/validate_sections.h"

namespace sluice::config {
namespace {

// Keys that only one family of check types reads; anywhere else they are a
// sign the operator expects behaviour this check will not have.
struct TypedKey {
    std::string_view key;
    std::array<CheckType, 2> types;  // the second repeats the first when only one applies
    std::string_view types_text;
};

constexpr std::array<TypedKey, 16> kTypedKeys{{
    {"path", {CheckType::http, CheckType::https}, "http and https checks"},
    {"status_code", {CheckType::http, CheckType::https}, "http and https checks"},
    {"virtualhost", {CheckType::http, CheckType::https}, "http and https checks"},
    {"body_regex", {CheckType::http, CheckType::https}, "http and https checks"},
    {"digest", {CheckType::http, CheckType::https}, "http and https checks"},
    {"ssl_verify", {CheckType::https, CheckType::https}, "https checks"},
    {"ssl_ca_file", {CheckType::https, CheckType::https}, "https checks"},
    {"sni", {CheckType::https, CheckType::https}, "https checks"},
    {"misc_path", {CheckType::misc, CheckType::misc}, "misc checks"},
    {"misc_timeout", {CheckType::misc, CheckType::misc}, "misc checks"},
    {"misc_dynamic", {CheckType::misc, CheckType::misc}, "misc checks"},
    {"user", {CheckType::misc, CheckType::misc}, "misc checks"},
    {"payload", {CheckType::udp, CheckType::udp}, "udp checks"},
    {"require_reply", {CheckType::udp, CheckType::udp}, "udp checks"},
    {"dns_name", {CheckType::dns, CheckType::dns}, "dns checks"},
    {"dns_type", {CheckType::dns, CheckType::dns}, "dns checks"},
}};

// body_regex is a POSIX extended regular expression (regcomp(3) with
// REG_EXTENDED), the dialect the http checker matches with. nullopt: valid.
std::optional<std::string> regex_error(const std::string& pattern) {
    regex_t compiled;
    const int rc = regcomp(&compiled, pattern.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc == 0) {
        regfree(&compiled);
        return std::nullopt;
    }
    std::array<char, 256> message{};
    regerror(rc, &compiled, message.data(), message.size());
    return std::string(message.data());
}

bool is_hex_md5(std::string_view text) {
    return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

void check_keys_match_type(const HealthCheck& hc, const std::string& path, DiagnosticSink& sink) {
    for (const TypedKey& typed : kTypedKeys) {
        if (hc.key_pos.has(typed.key) && hc.type != typed.types[0] && hc.type != typed.types[1]) {
            sink.error(path + '.' + std::string(typed.key), hc.key_pos.find(typed.key, hc.pos),
                       "applies to " + std::string(typed.types_text) + ", not to type '" +
                           std::string(to_string(hc.type)) + "'");
        }
    }
}

void check_type_requirements(const HealthCheck& hc, const std::string& path, DiagnosticSink& sink) {
    const auto pos = [&hc](std::string_view key) { return hc.key_pos.find(key, hc.pos); };
    if (hc.type == CheckType::misc && hc.misc_path.empty()) {
        sink.error(path, hc.pos, "type 'misc' needs misc_path (the command to run)");
    }
    if (hc.type == CheckType::misc && !hc.misc_path.empty() && hc.misc_path.front() != '/') {
        sink.warning(path + ".misc_path", pos("misc_path"),
                     "'" + hc.misc_path +
                         "' does not start with an absolute path; script security will refuse it");
    }
    if (hc.type == CheckType::dns && hc.dns_name.empty()) {
        sink.error(path, hc.pos, "type 'dns' needs dns_name (the name to query)");
    }
    if (!hc.digest.empty() && !is_hex_md5(hc.digest)) {
        sink.error(path + ".digest", pos("digest"),
                   "'" + hc.digest + "' is not an MD5 digest (32 hex digits)");
    }
    if (!hc.body_regex.empty()) {
        if (const auto why = regex_error(hc.body_regex)) {
            sink.error(path + ".body_regex", pos("body_regex"),
                       "'" + hc.body_regex +
                           "' is not a valid POSIX extended regular expression: " + *why);
        }
    }
    if (!hc.ssl_ca_file.empty() && !hc.ssl_verify && hc.type == CheckType::https) {
        sink.warning(path + ".ssl_ca_file", pos("ssl_ca_file"),
                     "is not used unless ssl_verify = true");
    }
}

}  // namespace

void validate_health_check(const Config& config, const VirtualServer& vs, const RealServer& server,
                           const std::string& path, DiagnosticSink& sink) {
    const HealthCheck& hc = *server.check;
    check_keys_match_type(hc, path, sink);
    check_type_requirements(hc, path, sink);
    const double delay_loop = hc.delay_loop.value_or(vs.delay_loop);
    if (hc.connect_timeout > delay_loop) {
        sink.warning(path + ".connect_timeout", hc.key_pos.find("connect_timeout", hc.pos),
                     format_number(hc.connect_timeout) + "s is longer than delay_loop " +
                         format_number(delay_loop) +
                         "s; a slow server is checked again before the last check ends");
    }
    if (hc.bindto && !is_own_address(config.dataplane, *hc.bindto)) {
        sink.error(path + ".bindto", hc.key_pos.find("bindto", hc.pos),
                   hc.bindto->to_string() + " is not an address of any [[dataplane.port]]");
    }
}

}  // namespace sluice::config
