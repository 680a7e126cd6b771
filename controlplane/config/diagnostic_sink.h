#pragma once
// Collects the diagnostics of one file, and builds the key paths they carry.
// Internal to sluice_config (the loader and validate share it).

#include <charconv>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "controlplane/config/diagnostic.h"
#include "controlplane/config/model.h"

namespace sluice::config {

class DiagnosticSink {
  public:
    DiagnosticSink(std::string file, std::vector<Diagnostic>& out)
        : file_(std::move(file)), out_(out) {}

    void error(std::string key, SourcePos pos, std::string message) {
        add(Severity::error, std::move(key), pos, std::move(message));
    }
    void warning(std::string key, SourcePos pos, std::string message) {
        add(Severity::warning, std::move(key), pos, std::move(message));
    }
    const std::string& file() const { return file_; }

  private:
    void add(Severity severity, std::string key, SourcePos pos, std::string message) {
        out_.push_back(
            Diagnostic{severity, file_, pos.line, pos.column, std::move(key), std::move(message)});
    }

    std::string file_;
    std::vector<Diagnostic>& out_;
};

// "parent.key", or "key" at the top level.
inline std::string child_path(std::string_view parent, std::string_view key) {
    if (parent.empty()) {
        return std::string(key);
    }
    return std::string(parent) + '.' + std::string(key);
}

// The one convention for array elements: "array[name]" when the element has
// a non-empty name, otherwise "array[index]" (0-based).
inline std::string element_path(std::string_view array_path, std::string_view name,
                                std::size_t index) {
    return std::string(array_path) + '[' +
           (name.empty() ? std::to_string(index) : std::string(name)) + ']';
}

// Shortest text that reads back as the same double: "0.01", "40.95", "3".
inline std::string format_number(double value) {
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

}  // namespace sluice::config
