#include "controlplane/config/document.h"

#include <algorithm>
#include <sstream>

#include <toml++/toml.h>

namespace sluice::config {
namespace {

SourcePos to_pos(const toml::source_region& region) {
    return SourcePos{region.begin.line, region.begin.column};
}

bool before(const SourcePos& a, const SourcePos& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
}

template <class T>
std::string date_time_text(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

DocNode convert(const toml::node& node) {
    DocNode out;
    out.pos = to_pos(node.source());
    switch (node.type()) {
        case toml::node_type::table:
            out.kind = DocNode::Kind::table;
            for (auto&& [key, value] : *node.as_table()) {
                out.entries.push_back(
                    DocEntry{std::string(key.str()), to_pos(key.source()), convert(value)});
            }
            // toml++ keeps keys sorted; diagnostics read better in file order.
            std::stable_sort(
                out.entries.begin(), out.entries.end(),
                [](const DocEntry& a, const DocEntry& b) { return before(a.key_pos, b.key_pos); });
            break;
        case toml::node_type::array:
            out.kind = DocNode::Kind::array;
            for (const toml::node& item : *node.as_array()) {
                out.items.push_back(convert(item));
            }
            break;
        case toml::node_type::string:
            out.kind = DocNode::Kind::string;
            out.text = node.as_string()->get();
            break;
        case toml::node_type::integer:
            out.kind = DocNode::Kind::integer;
            out.integer = node.as_integer()->get();
            break;
        case toml::node_type::floating_point:
            out.kind = DocNode::Kind::floating;
            out.floating = node.as_floating_point()->get();
            break;
        case toml::node_type::boolean:
            out.kind = DocNode::Kind::boolean;
            out.boolean = node.as_boolean()->get();
            break;
        case toml::node_type::date:
            out.kind = DocNode::Kind::date_time;
            out.text = date_time_text(*node.as_date());
            break;
        case toml::node_type::time:
            out.kind = DocNode::Kind::date_time;
            out.text = date_time_text(*node.as_time());
            break;
        case toml::node_type::date_time:
            out.kind = DocNode::Kind::date_time;
            out.text = date_time_text(*node.as_date_time());
            break;
        case toml::node_type::none:
            break;
    }
    return out;
}

}  // namespace

const DocNode* DocNode::find(std::string_view key) const {
    for (const DocEntry& entry : entries) {
        if (entry.key == key) {
            return &entry.value;
        }
    }
    return nullptr;
}

std::string_view kind_name(DocNode::Kind kind) {
    switch (kind) {
        case DocNode::Kind::table:
            return "a table";
        case DocNode::Kind::array:
            return "an array";
        case DocNode::Kind::string:
            return "a string";
        case DocNode::Kind::integer:
            return "an integer";
        case DocNode::Kind::floating:
            return "a floating-point number";
        case DocNode::Kind::boolean:
            return "a boolean";
        case DocNode::Kind::date_time:
            return "a date/time";
    }
    return "a value";
}

std::optional<DocNode> parse_document(std::string_view text, std::string_view file_name,
                                      std::vector<Diagnostic>& diagnostics) {
    try {
        const toml::table root = toml::parse(text, file_name);
        DocNode doc = convert(root);
        doc.pos = SourcePos{1, 1};
        return doc;
    } catch (const toml::parse_error& e) {
        diagnostics.push_back(Diagnostic{Severity::error, std::string(file_name),
                                         e.source().begin.line, e.source().begin.column, "",
                                         std::string(e.description())});
        return std::nullopt;
    }
}

}  // namespace sluice::config
