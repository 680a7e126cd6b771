#pragma once
// Loads config.toml into the model (model.h) and checks it (validate.h).
// Never throws for a bad file: every problem becomes a Diagnostic.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controlplane/config/diagnostic.h"
#include "controlplane/config/model.h"

namespace sluice::config {

struct LoadResult {
    std::optional<Config> config;         // set only when no diagnostic is an error
    std::vector<Diagnostic> diagnostics;  // errors and warnings, in file order per stage

    bool ok() const { return config.has_value(); }
};

// Reads and loads `path`. An unreadable file is one diagnostic (line 0).
LoadResult load_file(const std::string& path);

// Loads TOML text; `file_name` is used in diagnostics and stored in Config::file.
// Stages: (1) a TOML syntax error is the only diagnostic, with toml++'s line
// and column; (2) otherwise every structural problem is reported (wrong type,
// out of range, unknown enum word, bad address, missing or unknown key);
// (3) only when (2) found no error, validate() adds the semantic checks, since
// they would otherwise report consequences of (2) a second time.
// Defaults that depend on other keys are filled in (real_server.port, check
// delay_loop/connect_port/user, virtual_server.interface, vrrp_script.user).
LoadResult load_string(std::string_view text, std::string_view file_name);

}  // namespace sluice::config
