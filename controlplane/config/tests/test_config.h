#pragma once
// Shared by the config tests: a minimal valid file to append snippets to, and
// diagnostics rendered as strings so a test states the exact expected output.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "controlplane/config/loader.h"

namespace sluice::config::testing {

// Two ports and one worker: valid on its own. It has 14 lines, so the first
// line of an appended snippet is line 15.
inline constexpr std::string_view kBase = R"([dataplane]
lcores = [1]

[[dataplane.port]]
name = "front"
device = "net_null0"
role = "front"
addresses = ["198.18.0.2/24"]

[[dataplane.port]]
name = "back"
device = "net_null1"
role = "back"
addresses = ["198.18.1.2/24"]
)";

inline LoadResult load(std::string_view text) {
    return load_string(text, "t.toml");
}

inline LoadResult load_with_base(std::string_view snippet) {
    return load_string(std::string(kBase) + std::string(snippet), "t.toml");
}

inline std::vector<std::string> rendered(const std::vector<Diagnostic>& diagnostics,
                                         Severity severity) {
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) {
        if (d.severity == severity) {
            out.push_back(d.to_string());
        }
    }
    return out;
}

inline std::vector<std::string> errors(const LoadResult& result) {
    return rendered(result.diagnostics, Severity::error);
}

inline std::vector<std::string> warnings(const LoadResult& result) {
    return rendered(result.diagnostics, Severity::warning);
}

using Lines = std::vector<std::string>;

}  // namespace sluice::config::testing
