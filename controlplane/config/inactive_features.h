#pragma once
// Features the config file can describe but this release does not act on
// yet. sluiced logs these at startup (and `sluicectl` can show them) so that
// an operator never mistakes a validated setting for a working one.

#include <string>
#include <vector>

#include "controlplane/config/model.h"

namespace sluice::config {

// One sentence per configured feature whose behaviour has not landed,
// e.g. "virtual_server 'web' (198.18.0.100:80/tcp): forwarding is not active
// yet; it is validated but no traffic is balanced". Empty when everything
// configured is active.
std::vector<std::string> inactive_features(const Config& config);

}  // namespace sluice::config
