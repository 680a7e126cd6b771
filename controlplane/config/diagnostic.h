#pragma once
// One problem found in a configuration file, in the compiler-style form that
// editors and CI logs understand: FILE:LINE:COL: error: KEY: MESSAGE.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::config {

enum class Severity { error, warning };

struct Diagnostic {
    Severity severity = Severity::error;
    std::string file;
    std::uint32_t line = 0;    // 1-based; 0 = the whole file (e.g. it cannot be read)
    std::uint32_t column = 0;  // 1-based; 0 = the whole line
    // Dotted TOML path. Array elements appear as [name] when the element is a
    // table with a `name` key, otherwise as [0-based index]:
    // "vrrp_instance[VI_1].priority", "virtual_server[web].real_server[1].weight".
    // Empty for problems with the file as a whole (syntax errors).
    std::string key;
    std::string message;

    // "config.toml:12:10: error: virtual_server[web].real_server[1].weight: 70000 is
    // out of range; allowed 0..65535". LINE/COL and KEY are left out when unknown/empty.
    std::string to_string() const;
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace sluice::config
