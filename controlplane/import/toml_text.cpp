#include "controlplane/import/toml_text.h"

#include <array>
#include <charconv>
#include <cmath>

namespace sluice::import {

std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (byte < 0x20 || byte == 0x7f) {
                    constexpr std::string_view kHex = "0123456789ABCDEF";
                    out += "\\u00";
                    out += kHex[byte >> 4];
                    out += kHex[byte & 0xf];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

std::string toml_number(double value) {
    std::array<char, 64> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    std::string out(buf.data(), res.ptr);
    // TOML needs a digit after a decimal point and before an exponent: "1e+20" is
    // fine, "inf" is not produced for the ranges the translator accepts.
    return out;
}

std::string toml_array(const std::vector<std::string>& rendered) {
    std::string out = "[";
    for (std::size_t i = 0; i < rendered.size(); ++i) {
        out += (i == 0 ? "" : ", ") + rendered[i];
    }
    return out + "]";
}

std::string toml_string_array(const std::vector<std::string>& texts) {
    std::vector<std::string> rendered;
    rendered.reserve(texts.size());
    for (const auto& t : texts) {
        rendered.push_back(toml_string(t));
    }
    return toml_array(rendered);
}

void TomlTable::set(const std::string& key, std::string rendered) {
    for (auto& [k, v] : values) {
        if (k == key) {
            v = std::move(rendered);
            return;
        }
    }
    values.emplace_back(key, std::move(rendered));
}

bool TomlTable::has(std::string_view key) const {
    return get(key) != nullptr;
}

const std::string* TomlTable::get(std::string_view key) const {
    for (const auto& [k, v] : values) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

void TomlTable::render(std::string& out, int indent) const {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (!header.empty()) {
        out += pad + header + "\n";
    }
    for (const auto& [k, v] : values) {
        out += pad + k + " = " + v + "\n";
    }
    for (const auto& child : children) {
        if (indent == 0 && header.empty()) {
            out += "\n";
        }
        child.render(out, header.empty() ? indent : indent + 2);
    }
}

}  // namespace sluice::import
