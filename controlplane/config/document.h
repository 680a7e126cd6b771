#pragma once
// The parsed TOML file as a plain tree with source positions. Only
// document.cpp sees toml++; everything after parsing works on this tree, so
// no header of this library (nor any user of it) needs toml++.
// Internal to sluice_config.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controlplane/config/diagnostic.h"
#include "controlplane/config/model.h"

namespace sluice::config {

struct DocEntry;

struct DocNode {
    enum class Kind { table, array, string, integer, floating, boolean, date_time };

    Kind kind = Kind::table;
    SourcePos pos;
    std::string text;  // string value; date/time values in TOML form
    std::int64_t integer = 0;
    double floating = 0.0;
    bool boolean = false;
    std::vector<DocNode> items;     // array
    std::vector<DocEntry> entries;  // table, in the order they appear in the file

    const DocNode* find(std::string_view key) const;
};

struct DocEntry {
    std::string key;
    SourcePos key_pos;
    DocNode value;
};

// "a string", "an integer", ...: for "expected X, got Y" messages.
std::string_view kind_name(DocNode::Kind kind);

// Parses TOML text. On a syntax error returns nullopt and appends one
// diagnostic with toml++'s description, line and column.
std::optional<DocNode> parse_document(std::string_view text, std::string_view file_name,
                                      std::vector<Diagnostic>& diagnostics);

}  // namespace sluice::config
