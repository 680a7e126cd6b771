#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "controlplane/config/load_sections.h"

namespace sluice::config {
namespace {

using Kind = DocNode::Kind;
using StatusRange = std::pair<std::uint16_t, std::uint16_t>;

constexpr std::array<std::string_view, 8> kDnsTypes{"A",  "AAAA", "CNAME", "MX",
                                                    "NS", "PTR",  "SOA",   "TXT"};

std::optional<std::uint16_t> parse_status(std::string_view text) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < 100 || v > 599) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(v);
}

// One status_code element: 200, or "200-299".
std::optional<StatusRange> status_range(TableReader& r, const std::string& path,
                                        const DocNode& node) {
    if (node.kind == Kind::integer) {
        if (node.integer < 100 || node.integer > 599) {
            r.sink().error(path, node.pos,
                           std::to_string(node.integer) + " is out of range; allowed 100..599");
            return std::nullopt;
        }
        const auto code = static_cast<std::uint16_t>(node.integer);
        return StatusRange{code, code};
    }
    if (node.kind != Kind::string) {
        r.type_error(path, node, "an integer or a string such as \"200-299\"");
        return std::nullopt;
    }
    const std::string_view text = node.text;
    const auto dash = text.find('-');
    const auto lo = parse_status(text.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : parse_status(text.substr(dash + 1));
    if (!lo || !hi || *lo > *hi) {
        r.sink().error(
            path, node.pos,
            "'" + node.text +
                "' is not a status code range (expected e.g. \"200-299\", codes 100..599)");
        return std::nullopt;
    }
    return StatusRange{*lo, *hi};
}

// status_code = 200 | [200, "300-399"]; keepalived: status_code 200 or 300-399.
void load_status_codes(TableReader& r, HealthCheck& hc) {
    const DocNode* node = r.value("status_code");
    if (node == nullptr) {
        return;
    }
    const std::string path = r.key_path("status_code");
    std::vector<StatusRange> ranges;
    bool ok = true;
    if (node->kind == Kind::array) {
        if (node->items.empty()) {
            r.sink().error(path, node->pos, "must list at least one status code");
            return;
        }
        for (std::size_t i = 0; i < node->items.size(); ++i) {
            const auto range =
                status_range(r, path + '[' + std::to_string(i) + ']', node->items[i]);
            ok = ok && range.has_value();
            if (range) {
                ranges.push_back(*range);
            }
        }
    } else {
        const auto range = status_range(r, path, *node);
        ok = range.has_value();
        if (range) {
            ranges.push_back(*range);
        }
    }
    if (ok) {
        hc.status_code = std::move(ranges);
    }
}

void load_dns_type(TableReader& r, HealthCheck& hc) {
    std::string text;
    if (!r.string("dns_type", text)) {
        return;
    }
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
        return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    if (std::find(kDnsTypes.begin(), kDnsTypes.end(), text) == kDnsTypes.end()) {
        std::string allowed;
        for (std::string_view t : kDnsTypes) {
            allowed += allowed.empty() ? "" : ", ";
            allowed += t;
        }
        r.sink().error(r.key_path("dns_type"), r.value("dns_type")->pos,
                       "'" + text + "' is not allowed; expected one of " + allowed);
        return;
    }
    hc.dns_type = text;
}

}  // namespace

HealthCheck load_health_check(TableReader& parent, const DocNode& table, const std::string& path) {
    HealthCheck hc;
    hc.pos = table.pos;
    TableReader r(parent.sink(), table, path, &hc.key_pos);
    r.enumeration("type", hc.type);
    r.integer("connect_port", hc.connect_port, 1, 65535);
    r.address("bindto", hc.bindto);
    r.number("connect_timeout", hc.connect_timeout, 0.001, 3600.0);
    r.number("delay_loop", hc.delay_loop, 0.01, 86400.0);
    r.integer(r.alias("nb_get_retry", "retry"), hc.retry, 0, 100);
    r.number("delay_before_retry", hc.delay_before_retry, 0.0, 3600.0);
    r.integer("rise", hc.rise, 1, 100);
    r.integer("fall", hc.fall, 1, 100);
    r.string("path", hc.path);
    load_status_codes(r, hc);
    r.string("virtualhost", hc.virtualhost);
    r.string("body_regex", hc.body_regex);
    r.string("digest", hc.digest);
    r.boolean("ssl_verify", hc.ssl_verify);
    r.string("ssl_ca_file", hc.ssl_ca_file);
    r.string("sni", hc.sni);
    r.string("misc_path", hc.misc_path);
    r.number("misc_timeout", hc.misc_timeout, 0.001, 3600.0);
    r.boolean("misc_dynamic", hc.misc_dynamic);
    r.string("user", hc.user);
    r.string("payload", hc.payload);
    r.string("require_reply", hc.require_reply);
    r.string("dns_name", hc.dns_name);
    load_dns_type(r, hc);
    r.finish();
    if (hc.status_code.empty() && (hc.type == CheckType::http || hc.type == CheckType::https)) {
        hc.status_code = {StatusRange{200, 299}};  // keepalived's default: any 2xx
    }
    return hc;
}

}  // namespace sluice::config
