#include "controlplane/config/diagnostic.h"

#include <algorithm>

namespace sluice::config {

std::string Diagnostic::to_string() const {
    std::string out = file;
    if (line != 0) {
        out += ':' + std::to_string(line);
        if (column != 0) {
            out += ':' + std::to_string(column);
        }
    }
    out += severity == Severity::error ? ": error: " : ": warning: ";
    if (!key.empty()) {
        out += key + ": ";
    }
    out += message;
    return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace sluice::config
