#pragma once
// From the configuration model to what a health checker needs: the checker's
// settings (checks::CheckSpec), its target, and a key that says whether a
// reload changed anything about a real server's check (then it restarts).

#include <string>

#include "checks/check_spec.h"
#include "controlplane/config/model.h"

namespace sluice::controlplane {

// `global` supplies the default script user (MISC_CHECK without `user`).
checks::CheckSpec check_spec_of(const config::VirtualServer& vs, const config::RealServer& rs,
                                const config::Global& global);
checks::CheckTarget check_target_of(const config::RealServer& rs);
std::string check_settings_key(const config::VirtualServer& vs, const config::RealServer& rs);
const char* check_type_name(config::CheckType type);

}  // namespace sluice::controlplane
