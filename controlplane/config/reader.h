#pragma once
// Typed access to one TOML table with diagnostics: every getter checks the
// type and range, reports problems under the key's dotted path and position,
// and remembers which keys were asked for, so that finish() can report every
// other key as unknown with a "did you mean" suggestion.
// Internal to sluice_config.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ipv4.h"
#include "controlplane/config/diagnostic_sink.h"
#include "controlplane/config/document.h"
#include "controlplane/config/enum_names.h"
#include "controlplane/config/model.h"

namespace sluice::config {

// "array[name]" when `element` is a table with a non-empty string `name`,
// otherwise "array[index]": the one convention every diagnostic uses.
std::string element_path(std::string_view array_path, const DocNode& element, std::size_t index);

enum class Need { optional, required };

// One table of an array of tables, with its diagnostic path.
struct TableElement {
    const DocNode& table;
    std::string path;
};

class TableReader {
  public:
    // `table` must outlive the reader. `positions`, if given, receives the
    // position of every value read (and of "key[i]" for list elements), under
    // `positions_prefix` + key (for a sub-table kept in its parent's struct).
    TableReader(DiagnosticSink& sink, const DocNode& table, std::string path,
                KeyPositions* positions = nullptr, std::string positions_prefix = {});

    const std::string& path() const { return path_; }
    SourcePos pos() const { return table_.pos; }
    DiagnosticSink& sink() { return sink_; }
    std::string key_path(std::string_view key) const { return child_path(path_, key); }

    // The raw value of `key` (nullptr when absent), for shapes the typed
    // getters do not cover. Marks the key as known.
    const DocNode* value(std::string_view key, Need need = Need::optional);

    // Each getter leaves `out` untouched and returns false when the key is
    // absent or invalid (after reporting why); returns true after storing.
    bool string(std::string_view key, std::string& out, Need need = Need::optional);
    bool boolean(std::string_view key, bool& out);
    bool number(std::string_view key, double& out, double min, double max,
                Need need = Need::optional);
    bool number(std::string_view key, std::optional<double>& out, double min, double max);
    template <class Int>
    bool integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max,
                 Need need = Need::optional) {
        const auto v = read_integer(key, min, max, need);
        if (v) {
            out = static_cast<Int>(*v);
        }
        return v.has_value();
    }
    template <class Int>
    bool integer(std::string_view key, std::optional<Int>& out, std::int64_t min,
                 std::int64_t max) {
        const auto v = read_integer(key, min, max, Need::optional);
        if (v) {
            out = static_cast<Int>(*v);
        }
        return v.has_value();
    }
    // Enum words are matched without regard to ASCII case ("MASTER" == "master").
    template <class E>
    bool enumeration(std::string_view key, E& out, Need need = Need::optional) {
        std::vector<std::string_view> names;
        for (const EnumName<E>& entry : enum_names<E>()) {
            names.push_back(entry.name);
        }
        const auto index = read_choice(key, names, need);
        if (index) {
            out = enum_names<E>()[*index].value;
        }
        return index.has_value();
    }
    bool address(std::string_view key, common::Ipv4Addr& out, Need need = Need::optional);
    bool address(std::string_view key, std::optional<common::Ipv4Addr>& out);

    bool string_list(std::string_view key, std::vector<std::string>& out);
    bool address_list(std::string_view key, std::vector<common::Ipv4Addr>& out);
    bool prefix_list(std::string_view key, std::vector<common::Ipv4Prefix>& out);
    template <class Int>
    bool integer_list(std::string_view key, std::vector<Int>& out, std::int64_t min,
                      std::int64_t max) {
        std::vector<std::int64_t> values;
        const bool ok = read_integer_list(key, values, min, max);
        if (ok) {
            out.clear();
            for (std::int64_t v : values) {
                out.push_back(static_cast<Int>(v));
            }
        }
        return ok;
    }

    // A sub-table ([a.b] or an inline table); nullptr when absent or not a table.
    const DocNode* table(std::string_view key, Need need = Need::optional);
    // The tables of an array of tables ([[a.b]]) with their paths (see
    // element_path); elements that are not tables are reported and skipped.
    std::vector<TableElement> table_array(std::string_view key, Need need = Need::optional);

    // `old_key` is accepted for `new_key` with a deprecation warning; both
    // together are an error. Returns the key to read.
    std::string_view alias(std::string_view old_key, std::string_view new_key);

    // Reports every key of the table that no getter asked for.
    void finish();

    // Helpers shared by the section loaders for values inside lists.
    void type_error(const std::string& key, const DocNode& node, std::string_view expected);
    std::optional<common::Ipv4Addr> parse_address(const std::string& key, const DocNode& node);
    std::optional<common::Ipv4Prefix> parse_prefix(const std::string& key, const DocNode& node);

  private:
    const DocNode* lookup(std::string_view key, Need need);
    void record(const std::string& key, SourcePos pos);
    std::optional<std::int64_t> read_integer(std::string_view key, std::int64_t min,
                                             std::int64_t max, Need need);
    std::optional<std::size_t> read_choice(std::string_view key,
                                           std::span<const std::string_view> names, Need need);
    bool read_integer_list(std::string_view key, std::vector<std::int64_t>& out, std::int64_t min,
                           std::int64_t max);
    const DocNode* list(std::string_view key);

    DiagnosticSink& sink_;
    const DocNode& table_;
    std::string path_;
    KeyPositions* positions_;
    std::string positions_prefix_;
    std::vector<std::string> asked_;  // in the order the loader asked, for tie-breaks
};

}  // namespace sluice::config
