#pragma once
// Translates the configuration model into the dataplane's plain settings: the
// one place where config types meet dataplane types.

#include "controlplane/config/model.h"
#include "dataplane/settings.h"

namespace sluice::controlplane {

dataplane::DataplaneSettings to_dataplane_settings(const config::Config& config);

}  // namespace sluice::controlplane
