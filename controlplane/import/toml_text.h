#pragma once
// Just enough TOML writing for sluice's flat schema: escaped strings,
// numbers, arrays, and tables of `key = value` lines rendered in order.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::import {

// "text" with TOML basic-string escapes (quote, backslash, control characters).
std::string toml_string(std::string_view text);
// A double in its shortest form that TOML reads back exactly ("3", "0.5").
std::string toml_number(double value);
// [a, b, c] from already rendered values.
std::string toml_array(const std::vector<std::string>& rendered);
std::string toml_string_array(const std::vector<std::string>& texts);

struct TomlTable {
    std::string header;  // "[[virtual_server]]", "[virtual_server.real_server.check]"
    std::vector<std::pair<std::string, std::string>> values;  // key, rendered value
    std::vector<TomlTable> children;                          // rendered after the values

    // Sets `key`, replacing an earlier value (keepalived: the last one wins).
    void set(const std::string& key, std::string rendered);
    bool has(std::string_view key) const;
    const std::string* get(std::string_view key) const;
    void render(std::string& out, int indent = 0) const;
};

}  // namespace sluice::import
