#pragma once
// Semantic checks on a Config: the rules that no single key can break on its
// own (duplicates, references between sections, keepalived's and the RFCs'
// rules). load_string() runs them; call validate() directly for a Config
// built in code. Diagnostics point at the key's position recorded by the
// loader (model.h KeyPositions), else at the element, else at the file.

#include <vector>

#include "controlplane/config/diagnostic.h"
#include "controlplane/config/model.h"

namespace sluice::config {

// Errors make the config unusable; warnings flag legal but suspicious
// settings (e.g. a virtual server with no real servers).
std::vector<Diagnostic> validate(const Config& config);

}  // namespace sluice::config
