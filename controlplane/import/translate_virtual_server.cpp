// virtual_server with its real servers, sorry server and checkers.

#include <algorithm>

#include "controlplane/import/translate_context.h"

namespace sluice::import {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return s;
}

bool is_checker(const std::string& k) {
    return k == "TCP_CHECK" || k == "HTTP_GET" || k == "SSL_GET" || k == "MISC_CHECK" ||
           k == "UDP_CHECK" || k == "DNS_CHECK";
}

// Keys a virtual_server or real_server passes down to its checkers.
bool is_check_default(const std::string& k) {
    return k == "connect_timeout" || k == "retry" || k == "nb_get_retry" ||
           k == "delay_before_retry" || k == "delay_loop";
}

// The timing keys every checker has; true when `c` was one of them.
bool check_timing(Context& cx, const Statement& c, TomlTable& check) {
    const std::string& k = c.keyword;
    if (k == "connect_timeout") {
        if (auto v = cx.number(c, 0.001, 3600)) {
            check.set(k, toml_number(*v));
        }
    } else if (k == "retry" || k == "nb_get_retry") {
        if (auto v = cx.integer(c, 0, 100)) {
            check.set("retry", std::to_string(*v));
        }
    } else if (k == "delay_before_retry") {
        if (auto v = cx.number(c, 0, 3600)) {
            check.set(k, toml_number(*v));
        }
    } else if (k == "delay_loop") {
        if (auto v = cx.number(c, 0.01, 86400)) {
            check.set(k, toml_number(*v));
        }
    } else {
        return false;
    }
    return true;
}

// keepalived's UDP_CHECK payload and require_reply are hex strings.
std::optional<std::string> hex_bytes(Context& cx, const Statement& c) {
    const auto text = cx.text(c);
    if (!text) {
        return std::nullopt;
    }
    std::string hex;
    for (const char ch : *text) {
        if (ch != ' ') {
            hex += ch;
        }
    }
    if (hex.size() % 2 != 0 || !std::all_of(hex.begin(), hex.end(), [](char ch) {
            return std::isxdigit(static_cast<unsigned char>(ch)) != 0;
        })) {
        cx.note(c, "'" + *text + "' is not a hex string");
        return std::nullopt;
    }
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const auto b = static_cast<unsigned>(std::stoul(hex.substr(i, 2), nullptr, 16));
        if (b >= 0x80) {
            cx.note(c, "byte 0x" + hex.substr(i, 2) +
                           " cannot be written in config.toml (sluice takes ASCII payloads)");
            return std::nullopt;
        }
        bytes += static_cast<char>(b);
    }
    return bytes;
}

void translate_url(Context& cx, const Statement& url, TomlTable& check) {
    for (const auto& u : url.children) {
        if (u.keyword == "path" || u.keyword == "digest" || u.keyword == "virtualhost") {
            if (auto v = cx.text(u)) {
                check.set(u.keyword, toml_string(*v));
            }
        } else if (u.keyword == "regex") {
            if (auto v = cx.text(u)) {
                check.set("body_regex", toml_string(*v));
            }
        } else if (u.keyword == "status_code") {
            std::vector<std::string> codes;
            for (const auto& a : u.args) {
                const auto dash = a.text.find('-');
                if (dash == std::string::npos) {
                    Statement one{"status_code", {a}, false, {}, u.where};
                    if (auto v = cx.integer(one, 100, 599)) {
                        codes.push_back(std::to_string(*v));
                    }
                } else {
                    codes.push_back(toml_string(a.text));
                }
            }
            if (codes.size() == 1) {
                check.set("status_code", codes.front());
            } else if (!codes.empty()) {
                check.set("status_code", toml_array(codes));
            } else if (u.args.empty()) {
                cx.note(u, "it needs a value");
            }
        } else {
            cx.unknown(u, "url");
        }
    }
}

}  // namespace

bool translate_checker(Context& cx, const Statement& st, TomlTable& check) {
    const std::string& kind = st.keyword;
    std::string type;
    if (kind == "TCP_CHECK") {
        type = "tcp";
    } else if (kind == "HTTP_GET") {
        type = "http";
    } else if (kind == "SSL_GET") {
        type = "https";
    } else if (kind == "MISC_CHECK") {
        type = "misc";
    } else if (kind == "UDP_CHECK") {
        type = "udp";
    } else if (kind == "DNS_CHECK") {
        type = "dns";
    } else {
        return false;
    }
    check.set("type", toml_string(type));
    const bool http = type == "http" || type == "https";
    bool url_seen = false;
    bool sni = false;
    for (const auto& c : st.children) {
        const std::string& k = c.keyword;
        if (check_timing(cx, c, check)) {
            continue;
        }
        if (k == "connect_port") {
            if (auto v = cx.integer(c, 1, 65535)) {
                check.set(k, std::to_string(*v));
            }
        } else if (k == "bindto") {
            if (auto a = cx.address(c)) {
                check.set(k, toml_string(a->to_string()));
                cx.extra_args(c, 1);
            }
        } else if (http && k == "url") {
            if (url_seen) {
                cx.note(c, "sluice checks one url per real server; the first is used");
                continue;
            }
            url_seen = true;
            translate_url(cx, c, check);
        } else if (http && k == "virtualhost") {
            if (auto v = cx.text(c)) {
                check.set(k, toml_string(*v));
            }
        } else if (type == "https" && k == "enable_sni") {
            sni = true;
        } else if (type == "misc" && k == "misc_path") {
            if (auto v = cx.text(c)) {
                check.set(k, toml_string(*v));
            }
        } else if (type == "misc" && k == "misc_timeout") {
            if (auto v = cx.number(c, 0.001, 3600)) {
                check.set(k, toml_number(*v));
            }
        } else if (type == "misc" && k == "misc_dynamic") {
            if (auto v = cx.flag(c)) {
                check.set(k, *v ? "true" : "false");
            }
        } else if (type == "misc" && k == "user") {
            if (c.args.empty()) {
                cx.note(c, "it needs a user name");
            } else {
                check.set(k, toml_string(c.args[0].text));
                if (c.args.size() > 1) {
                    cx.note(c, "the group '" + c.joined_args(1) + "' is ignored");
                }
            }
        } else if (type == "udp" && (k == "payload" || k == "require_reply")) {
            if (auto v = hex_bytes(cx, c)) {
                check.set(k, toml_string(*v));
            }
        } else if (type == "dns" && k == "type") {
            const std::string t = c.args.empty() ? "" : c.args[0].text;
            std::string up = t;
            std::transform(up.begin(), up.end(), up.begin(), [](char ch) {
                return static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            });
            static const std::vector<std::string> kTypes = {"A",  "AAAA", "CNAME", "MX",
                                                            "NS", "PTR",  "SOA",   "TXT"};
            if (std::find(kTypes.begin(), kTypes.end(), up) != kTypes.end()) {
                check.set("dns_type", toml_string(up));
            } else {
                cx.note(c, "DNS type '" + t + "' is not supported");
            }
        } else if (type == "dns" && k == "name") {
            if (auto v = cx.text(c)) {
                check.set("dns_name", toml_string(*v));
            }
        } else {
            cx.unknown(c, kind);
        }
    }
    if (sni) {
        if (const std::string* vh = check.get("virtualhost")) {
            check.set("sni", *vh);
        } else {
            cx.note(st.where, "enable_sni", "there is no virtualhost to send as SNI");
        }
    }
    if (type == "dns" && !check.has("dns_name")) {
        check.set("dns_name", toml_string("."));  // keepalived's default query name
    }
    if (type == "misc" && !check.has("misc_path")) {
        cx.note(st, "MISC_CHECK without misc_path");
        return false;
    }
    return true;
}

namespace {

struct CheckDefaults {
    std::vector<const Statement*> timing;  // connect_timeout, retry, ... in order
    const Statement* virtualhost = nullptr;
};

// Applies inherited timing keys and virtualhost where the checker set none.
void apply_defaults(Context& cx, const CheckDefaults& d, TomlTable& check) {
    for (const Statement* s : d.timing) {
        const std::string key = s->keyword == "nb_get_retry" ? "retry" : s->keyword;
        if (!check.has(key)) {
            check_timing(cx, *s, check);
        }
    }
    const std::string* type = check.get("type");
    if (d.virtualhost != nullptr && !check.has("virtualhost") && type != nullptr &&
        (*type == "\"http\"" || *type == "\"https\"") && !d.virtualhost->args.empty()) {
        check.set("virtualhost", toml_string(d.virtualhost->joined_args()));
    }
}

std::optional<TomlTable> translate_real_server(Context& cx, const Statement& st,
                                               CheckDefaults defaults, common::Ipv4Addr vip) {
    auto addr = cx.address(st);
    if (!addr) {
        return std::nullopt;
    }
    if (*addr == vip) {
        cx.note(st, "the real server is the VIP itself");
        return std::nullopt;
    }
    cx.used_addresses.insert(addr->value);
    TomlTable rs{"[[virtual_server.real_server]]", {}, {}};
    rs.set("address", toml_string(addr->to_string()));
    if (st.args.size() >= 2) {
        if (auto p = cx.integer(st, 1, 65535, 1)) {
            rs.set("port", std::to_string(*p));
        }
    }
    // Defaults at real_server level first, since they apply to its checkers.
    for (const auto& c : st.children) {
        if (is_check_default(c.keyword)) {
            defaults.timing.push_back(&c);
        }
    }
    bool have_check = false;
    for (const auto& c : st.children) {
        const std::string& k = c.keyword;
        if (is_check_default(k)) {
            continue;
        }
        if (k == "weight") {
            if (auto v = cx.integer(c, 0, 65535)) {
                rs.set(k, std::to_string(*v));
            }
        } else if (k == "inhibit_on_failure") {
            if (auto v = cx.flag(c)) {
                rs.set(k, *v ? "true" : "false");
            }
        } else if (k == "notify_up" || k == "notify_down") {
            if (auto v = cx.text(c)) {
                rs.set(k, toml_string(*v));
            }
        } else if (is_checker(k)) {
            if (have_check) {
                cx.note(c, "sluice runs one checker per real server; the first is used");
                continue;
            }
            TomlTable check{"[virtual_server.real_server.check]", {}, {}};
            if (translate_checker(cx, c, check)) {
                apply_defaults(cx, defaults, check);
                rs.children.push_back(std::move(check));
                have_check = true;
            }
        } else {
            cx.unknown(c, "real_server");
        }
    }
    return rs;
}

}  // namespace

void translate_virtual_server(Context& cx, const Statement& st) {
    if (st.args.size() != 2 || st.args[0].text == "fwmark" || st.args[0].text == "group") {
        cx.note(st, "'virtual_server " + st.joined_args() +
                        "' is not supported (sluice: virtual_server IP PORT)");
        return;
    }
    const auto vip = common::Ipv4Addr::parse(st.args[0].text);
    if (!vip) {
        cx.note(st, "'" + st.args[0].text + "' is not an IPv4 address (sluice is IPv4 only)");
        return;
    }
    const auto port = cx.integer(st, 1, 65535, 1);
    if (!port) {
        return;
    }
    TomlTable vs{"[[virtual_server]]", {}, {}};
    std::string protocol = "tcp";
    for (const auto& c : st.children) {
        if (c.keyword == "protocol") {
            protocol = c.args.empty() ? "" : lower(c.args[0].text);
        }
    }
    if (protocol != "tcp" && protocol != "udp") {
        cx.note(st, "protocol '" + protocol + "' is not supported (sluice: TCP, UDP)");
        return;
    }
    std::string name = vip->to_string() + ":" + std::to_string(*port);
    if (protocol == "udp") {
        name += "/udp";
    }
    if (!cx.service_names.insert(name).second) {
        cx.note(st, "a virtual_server " + name + " is already defined");
        return;
    }
    if (cx.service_vips.empty()) {
        cx.first_service = st.where;
    }
    cx.service_vips.push_back(*vip);
    cx.used_addresses.insert(vip->value);
    vs.set("name", toml_string(name));
    vs.set("vip", toml_string(vip->to_string()));
    vs.set("port", std::to_string(*port));
    vs.set("protocol", toml_string(protocol));
    if (const InstanceInfo* holder = cx.instance_holding(*vip)) {
        vs.set("interface", toml_string(holder->interface));
    }
    CheckDefaults defaults;
    for (const auto& c : st.children) {
        if (is_check_default(c.keyword) && c.keyword != "delay_loop") {
            defaults.timing.push_back(&c);
        } else if (c.keyword == "virtualhost") {
            defaults.virtualhost = &c;
        }
    }
    std::vector<TomlTable> real_servers;
    for (const auto& c : st.children) {
        const std::string& k = c.keyword;
        if (k == "protocol" || k == "virtualhost" || (is_check_default(k) && k != "delay_loop")) {
            continue;
        }
        if (k == "delay_loop") {
            if (auto v = cx.number(c, 0.01, 86400)) {
                vs.set(k, toml_number(*v));
            }
        } else if (k == "lb_algo" || k == "lvs_sched") {
            const std::string a = c.args.empty() ? "" : lower(c.args[0].text);
            if (a == "rr" || a == "wrr" || a == "lc" || a == "wlc" || a == "sh" || a == "mh") {
                vs.set("lb_algo", toml_string(a));
            } else {
                cx.note(c, "scheduler '" + a +
                               "' is not supported (sluice: rr wrr lc wlc sh mh); "
                               "wlc is used");
            }
        } else if (k == "lb_kind" || k == "lvs_method") {
            const std::string m = c.args.empty() ? "" : lower(c.args[0].text);
            if (m == "nat" || m == "dr" || m == "tun") {
                vs.set("lb_kind", toml_string(m));
            } else {
                cx.note(c, "method '" + m + "' is not supported (sluice: NAT DR TUN); NAT is used");
            }
        } else if (k == "persistence_timeout") {
            if (c.args.empty()) {
                vs.set(k, "360");  // keepalived's value for the bare keyword
            } else if (auto v = cx.integer(c, 0, 31536000)) {
                vs.set(k, std::to_string(*v));
            }
        } else if (k == "persistence_granularity") {
            auto mask = cx.address(c);
            if (mask && common::is_contiguous_netmask(*mask)) {
                vs.set(k, toml_string(mask->to_string()));
            } else if (mask) {
                cx.note(c, "'" + c.args[0].text + "' is not a contiguous netmask");
            }
        } else if (k == "quorum" || k == "hysteresis") {
            if (auto v = cx.integer(c, 0, 4294967295)) {
                vs.set(k, std::to_string(*v));
            }
        } else if (k == "quorum_up" || k == "quorum_down") {
            if (auto v = cx.text(c)) {
                vs.set(k, toml_string(*v));
            }
        } else if (k == "sorry_server") {
            auto addr = cx.address(c);
            if (!addr) {
                continue;
            }
            TomlTable sorry{"[virtual_server.sorry_server]", {}, {}};
            sorry.set("address", toml_string(addr->to_string()));
            if (c.args.size() >= 2) {
                if (auto p = cx.integer(c, 1, 65535, 1)) {
                    sorry.set("port", std::to_string(*p));
                }
            }
            cx.used_addresses.insert(addr->value);
            vs.children.insert(vs.children.begin(), std::move(sorry));
        } else if (k == "real_server") {
            if (auto rs = translate_real_server(cx, c, defaults, *vip)) {
                real_servers.push_back(std::move(*rs));
            }
        } else {
            cx.unknown(c, "virtual_server");
        }
    }
    for (auto& rs : real_servers) {
        vs.children.push_back(std::move(rs));
    }
    cx.services.push_back(std::move(vs));
}

}  // namespace sluice::import
