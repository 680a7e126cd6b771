#include "controlplane/metrics_exposition.h"

#include <charconv>
#include <cmath>

namespace sluice::controlplane::metrics {
namespace {

const char* type_name(Type t) {
    switch (t) {
        case Type::counter:
            return "counter";
        case Type::gauge:
            return "gauge";
        case Type::summary:
            return "summary";
    }
    return "untyped";
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escape_help(std::string_view help) {
    std::string out;
    out.reserve(help.size());
    for (const char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_value(const nlohmann::json& value) {
    if (value.is_boolean()) {
        return value.get<bool>() ? "1" : "0";
    }
    if (value.is_number_unsigned()) {
        return std::to_string(value.get<std::uint64_t>());
    }
    if (value.is_number_integer()) {
        return std::to_string(value.get<std::int64_t>());
    }
    if (!value.is_number_float()) {
        return "";
    }
    const double d = value.get<double>();
    if (std::isnan(d)) {
        return "NaN";
    }
    if (std::isinf(d)) {
        return d > 0 ? "+Inf" : "-Inf";
    }
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, r.ptr);
}

void Exposition::define(const std::string& name, std::string help, Type type) {
    if (index_.contains(name)) {
        return;
    }
    index_.emplace(name, families_.size());
    families_.push_back({name, std::move(help), type, {}});
}

void Exposition::add(const std::string& name, const Labels& labels, const nlohmann::json& value) {
    const auto it = index_.find(name);
    const auto v = format_value(value);
    if (it == index_.end() || v.empty()) {
        return;
    }
    std::string line = name;
    if (!labels.empty()) {
        line += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            line += (i == 0 ? "" : ",") + labels[i].first + "=\"" +
                    escape_label_value(labels[i].second) + '"';
        }
        line += '}';
    }
    line += ' ' + v;
    families_[it->second].samples.push_back(std::move(line));
}

std::string Exposition::text() const {
    std::string out;
    for (const auto& f : families_) {
        if (f.samples.empty()) {
            continue;
        }
        out += "# HELP " + f.name + ' ' + escape_help(f.help) + '\n';
        out += "# TYPE " + f.name + ' ' + type_name(f.type) + '\n';
        for (const auto& s : f.samples) {
            out += s + '\n';
        }
    }
    return out;
}

}  // namespace sluice::controlplane::metrics
