#include "controlplane/import/translate_context.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sluice::import {

void Context::note(const SourceLine& where, const std::string& keyword, const std::string& why) {
    notes.push_back(where.to_string() + ": keyword '" + keyword + "' not translated: " + why);
}

void Context::see_interface(const std::string& name, const SourceLine& where) {
    if (std::find(interfaces.begin(), interfaces.end(), name) == interfaces.end()) {
        interfaces.push_back(name);
        interface_where.push_back(where);
    }
}

const InstanceInfo* Context::instance_holding(common::Ipv4Addr vip) const {
    for (const auto& in : instances) {
        for (const auto& p : in.vips) {
            if (p.addr == vip) {
                return &in;
            }
        }
    }
    return nullptr;
}

std::optional<std::string> Context::text(const Statement& st) {
    if (st.args.empty()) {
        note(st, "it needs a value");
        return std::nullopt;
    }
    return st.joined_args();
}

std::optional<std::int64_t> Context::integer(const Statement& st, std::int64_t lo, std::int64_t hi,
                                             std::size_t index) {
    if (st.args.size() <= index) {
        note(st, "it needs a value");
        return std::nullopt;
    }
    const std::string& s = st.args[index].text;
    std::int64_t v = 0;
    const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (res.ec != std::errc{} || res.ptr != s.data() + s.size() || v < lo || v > hi) {
        note(st,
             "'" + s + "' is not an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
        return std::nullopt;
    }
    extra_args(st, index + 1);
    return v;
}

std::optional<double> Context::number(const Statement& st, double lo, double hi) {
    if (st.args.empty()) {
        note(st, "it needs a value");
        return std::nullopt;
    }
    const std::string& s = st.args[0].text;
    double v = 0;
    const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (res.ec != std::errc{} || res.ptr != s.data() + s.size() || !std::isfinite(v) || v < lo ||
        v > hi) {
        note(st, "'" + s + "' is not a number in " + toml_number(lo) + ".." + toml_number(hi));
        return std::nullopt;
    }
    extra_args(st, 1);
    return v;
}

std::optional<common::Ipv4Addr> Context::address(const Statement& st, std::size_t index) {
    if (st.args.size() <= index) {
        note(st, "it needs an address");
        return std::nullopt;
    }
    const auto a = common::Ipv4Addr::parse(st.args[index].text);
    if (!a) {
        note(st, "'" + st.args[index].text + "' is not an IPv4 address (sluice is IPv4 only)");
    }
    return a;
}

std::optional<bool> Context::flag(const Statement& st) {
    if (st.args.empty()) {
        return true;
    }
    std::string w = st.args[0].text;
    std::transform(w.begin(), w.end(), w.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    if (w == "on" || w == "true" || w == "yes") {
        return true;
    }
    if (w == "off" || w == "false" || w == "no") {
        return false;
    }
    note(st, "'" + st.args[0].text + "' is not on/off");
    return std::nullopt;
}

void Context::extra_args(const Statement& st, std::size_t index) {
    if (st.args.size() > index) {
        note(st, "extra arguments '" + st.joined_args(index) + "' ignored");
    }
}

void Context::unknown(const Statement& st, const std::string& section) {
    note(st, "sluice has no equivalent in " + section);
}

}  // namespace sluice::import
