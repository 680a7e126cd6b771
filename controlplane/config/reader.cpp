#include "controlplane/config/reader.h"

#include <algorithm>
#include <cctype>

#include "controlplane/config/suggest.h"

namespace sluice::config {
namespace {

using Kind = DocNode::Kind;

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

std::string join(std::span<const std::string_view> names) {
    std::string out;
    for (std::string_view name : names) {
        if (!out.empty()) {
            out += ", ";
        }
        out += name;
    }
    return out;
}

}  // namespace

std::string element_path(std::string_view array_path, const DocNode& element, std::size_t index) {
    const DocNode* name = element.kind == Kind::table ? element.find("name") : nullptr;
    const bool named = name != nullptr && name->kind == Kind::string;
    return element_path(array_path, named ? std::string_view(name->text) : std::string_view(),
                        index);
}

TableReader::TableReader(DiagnosticSink& sink, const DocNode& table, std::string path,
                         KeyPositions* positions, std::string positions_prefix)
    : sink_(sink),
      table_(table),
      path_(std::move(path)),
      positions_(positions),
      positions_prefix_(std::move(positions_prefix)) {}

void TableReader::record(const std::string& key, SourcePos pos) {
    if (positions_ != nullptr) {
        positions_->at[positions_prefix_ + key] = pos;
    }
}

const DocNode* TableReader::lookup(std::string_view key, Need need) {
    if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) {
        asked_.emplace_back(key);
    }
    const DocNode* node = table_.find(key);
    if (node == nullptr) {
        if (need == Need::required) {
            sink_.error(path_, table_.pos, "missing required key '" + std::string(key) + "'");
        }
        return nullptr;
    }
    record(std::string(key), node->pos);
    return node;
}

const DocNode* TableReader::value(std::string_view key, Need need) {
    return lookup(key, need);
}

void TableReader::type_error(const std::string& key, const DocNode& node,
                             std::string_view expected) {
    sink_.error(key, node.pos,
                "expected " + std::string(expected) + ", got " + std::string(kind_name(node.kind)));
}

bool TableReader::string(std::string_view key, std::string& out, Need need) {
    const DocNode* node = lookup(key, need);
    if (node == nullptr) {
        return false;
    }
    if (node->kind != Kind::string) {
        type_error(key_path(key), *node, "a string");
        return false;
    }
    if (need == Need::required && node->text.empty()) {
        sink_.error(key_path(key), node->pos, "must not be empty");
        return false;
    }
    out = node->text;
    return true;
}

bool TableReader::boolean(std::string_view key, bool& out) {
    const DocNode* node = lookup(key, Need::optional);
    if (node == nullptr) {
        return false;
    }
    if (node->kind != Kind::boolean) {
        type_error(key_path(key), *node, "a boolean");
        return false;
    }
    out = node->boolean;
    return true;
}

bool TableReader::number(std::string_view key, double& out, double min, double max, Need need) {
    const DocNode* node = lookup(key, need);
    if (node == nullptr) {
        return false;
    }
    double v = 0.0;
    if (node->kind == Kind::integer) {
        v = static_cast<double>(node->integer);
    } else if (node->kind == Kind::floating) {
        v = node->floating;
    } else {
        type_error(key_path(key), *node, "a number");
        return false;
    }
    if (!(v >= min && v <= max)) {  // also rejects nan
        sink_.error(key_path(key), node->pos,
                    format_number(v) + " is out of range; allowed " + format_number(min) + ".." +
                        format_number(max));
        return false;
    }
    out = v;
    return true;
}

bool TableReader::number(std::string_view key, std::optional<double>& out, double min, double max) {
    double v = 0.0;
    if (!number(key, v, min, max)) {
        return false;
    }
    out = v;
    return true;
}

std::optional<std::int64_t> TableReader::read_integer(std::string_view key, std::int64_t min,
                                                      std::int64_t max, Need need) {
    const DocNode* node = lookup(key, need);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (node->kind != Kind::integer) {
        type_error(key_path(key), *node, "an integer");
        return std::nullopt;
    }
    if (node->integer < min || node->integer > max) {
        sink_.error(key_path(key), node->pos,
                    std::to_string(node->integer) + " is out of range; allowed " +
                        std::to_string(min) + ".." + std::to_string(max));
        return std::nullopt;
    }
    return node->integer;
}

std::optional<std::size_t> TableReader::read_choice(std::string_view key,
                                                    std::span<const std::string_view> names,
                                                    Need need) {
    std::string text;
    if (!string(key, text, need)) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (equal_ignoring_case(text, names[i])) {
            return i;
        }
    }
    sink_.error(key_path(key), table_.find(key)->pos,
                "'" + text + "' is not allowed; expected one of " + join(names));
    return std::nullopt;
}

std::optional<common::Ipv4Addr> TableReader::parse_address(const std::string& key,
                                                           const DocNode& node) {
    if (node.kind != Kind::string) {
        type_error(key, node, "a string");
        return std::nullopt;
    }
    auto addr = common::Ipv4Addr::parse(node.text);
    if (!addr) {
        sink_.error(key, node.pos,
                    "'" + node.text + "' is not a valid IPv4 address (expected e.g. 198.18.0.1)");
    }
    return addr;
}

std::optional<common::Ipv4Prefix> TableReader::parse_prefix(const std::string& key,
                                                            const DocNode& node) {
    if (node.kind != Kind::string) {
        type_error(key, node, "a string");
        return std::nullopt;
    }
    auto prefix = common::Ipv4Prefix::parse(node.text);
    if (!prefix) {
        sink_.error(key, node.pos,
                    "'" + node.text + "' is not a valid IPv4 prefix (expected e.g. 198.18.0.2/24)");
    }
    return prefix;
}

bool TableReader::address(std::string_view key, common::Ipv4Addr& out, Need need) {
    const DocNode* node = lookup(key, need);
    if (node == nullptr) {
        return false;
    }
    const auto addr = parse_address(key_path(key), *node);
    if (addr) {
        out = *addr;
    }
    return addr.has_value();
}

bool TableReader::address(std::string_view key, std::optional<common::Ipv4Addr>& out) {
    common::Ipv4Addr addr;
    if (!address(key, addr)) {
        return false;
    }
    out = addr;
    return true;
}

const DocNode* TableReader::list(std::string_view key) {
    const DocNode* node = lookup(key, Need::optional);
    if (node == nullptr) {
        return nullptr;
    }
    if (node->kind != Kind::array) {
        type_error(key_path(key), *node, "an array");
        return nullptr;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        record(std::string(key) + '[' + std::to_string(i) + ']', node->items[i].pos);
    }
    return node;
}

bool TableReader::string_list(std::string_view key, std::vector<std::string>& out) {
    const DocNode* node = list(key);
    if (node == nullptr) {
        return false;
    }
    bool ok = true;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const DocNode& item = node->items[i];
        if (item.kind != Kind::string) {
            type_error(key_path(key) + '[' + std::to_string(i) + ']', item, "a string");
            ok = false;
        } else {
            values.push_back(item.text);
        }
    }
    if (ok) {
        out = std::move(values);
    }
    return ok;
}

bool TableReader::address_list(std::string_view key, std::vector<common::Ipv4Addr>& out) {
    const DocNode* node = list(key);
    if (node == nullptr) {
        return false;
    }
    bool ok = true;
    std::vector<common::Ipv4Addr> values;
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const auto addr =
            parse_address(key_path(key) + '[' + std::to_string(i) + ']', node->items[i]);
        ok = ok && addr.has_value();
        if (addr) {
            values.push_back(*addr);
        }
    }
    if (ok) {
        out = std::move(values);
    }
    return ok;
}

bool TableReader::prefix_list(std::string_view key, std::vector<common::Ipv4Prefix>& out) {
    const DocNode* node = list(key);
    if (node == nullptr) {
        return false;
    }
    bool ok = true;
    std::vector<common::Ipv4Prefix> values;
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const auto prefix =
            parse_prefix(key_path(key) + '[' + std::to_string(i) + ']', node->items[i]);
        ok = ok && prefix.has_value();
        if (prefix) {
            values.push_back(*prefix);
        }
    }
    if (ok) {
        out = std::move(values);
    }
    return ok;
}

bool TableReader::read_integer_list(std::string_view key, std::vector<std::int64_t>& out,
                                    std::int64_t min, std::int64_t max) {
    const DocNode* node = list(key);
    if (node == nullptr) {
        return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const DocNode& item = node->items[i];
        const std::string item_path = key_path(key) + '[' + std::to_string(i) + ']';
        if (item.kind != Kind::integer) {
            type_error(item_path, item, "an integer");
            ok = false;
        } else if (item.integer < min || item.integer > max) {
            sink_.error(item_path, item.pos,
                        std::to_string(item.integer) + " is out of range; allowed " +
                            std::to_string(min) + ".." + std::to_string(max));
            ok = false;
        } else {
            out.push_back(item.integer);
        }
    }
    return ok;
}

const DocNode* TableReader::table(std::string_view key, Need need) {
    const DocNode* node = lookup(key, need);
    if (node == nullptr) {
        return nullptr;
    }
    if (node->kind != Kind::table) {
        type_error(key_path(key), *node, "a table");
        return nullptr;
    }
    return node;
}

std::vector<TableElement> TableReader::table_array(std::string_view key, Need need) {
    std::vector<TableElement> tables;
    const DocNode* node = lookup(key, need);
    if (node == nullptr) {
        return tables;
    }
    const std::string path = key_path(key);
    if (node->kind != Kind::array) {
        // The classic slip: [virtual_server] where [[virtual_server]] was meant.
        type_error(path, *node, "an array of tables ([[" + path + "]])");
        return tables;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const DocNode& item = node->items[i];
        if (item.kind != Kind::table) {
            type_error(path + '[' + std::to_string(i) + ']', item, "a table");
        } else {
            tables.push_back(TableElement{item, element_path(path, item, i)});
        }
    }
    return tables;
}

std::string_view TableReader::alias(std::string_view old_key, std::string_view new_key) {
    const DocNode* old_node = table_.find(old_key);
    if (old_node == nullptr) {
        return new_key;
    }
    asked_.emplace_back(old_key);
    if (table_.find(new_key) != nullptr) {
        sink_.error(key_path(old_key), old_node->pos,
                    "'" + std::string(old_key) + "' is an old name for '" + std::string(new_key) +
                        "'; give only one of them");
        return new_key;
    }
    sink_.warning(
        key_path(old_key), old_node->pos,
        "'" + std::string(old_key) + "' is deprecated; use '" + std::string(new_key) + "'");
    record(std::string(new_key), old_node->pos);
    return old_key;
}

void TableReader::finish() {
    std::vector<std::string_view> candidates(asked_.begin(), asked_.end());
    for (const DocEntry& entry : table_.entries) {
        if (std::find(asked_.begin(), asked_.end(), entry.key) != asked_.end()) {
            continue;
        }
        std::string message = "unknown key '" + entry.key + "'";
        if (const auto suggestion = closest_key(entry.key, candidates)) {
            message += "; did you mean '" + *suggestion + "'?";
        }
        sink_.error(key_path(entry.key), entry.key_pos, std::move(message));
    }
}

}  // namespace sluice::config
