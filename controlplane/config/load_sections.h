#pragma once
// One loader per top-level section of config.toml. Each reads its part of the
// root table into the model, reporting every problem through the reader, and
// leaves model defaults in place for keys that are absent or invalid.
// Internal to sluice_config; loader.cpp calls them in file order.

#include <vector>

#include "controlplane/config/model.h"
#include "controlplane/config/reader.h"

namespace sluice::config {

void load_global(TableReader& root, Global& global);           // load_global.cpp
void load_dataplane(TableReader& root, Dataplane& dataplane);  // load_dataplane.cpp
void load_virtual_servers(TableReader& root,
                          std::vector<VirtualServer>& out);  // load_virtual_server.cpp
// The [real_server.check] table of one real server; load_check.cpp.
HealthCheck load_health_check(TableReader& parent, const DocNode& table, const std::string& path);
void load_vrrp_scripts(TableReader& root, std::vector<VrrpScript>& out);         // load_vrrp.cpp
void load_vrrp_instances(TableReader& root, std::vector<VrrpInstance>& out);     // load_vrrp.cpp
void load_vrrp_sync_groups(TableReader& root, std::vector<VrrpSyncGroup>& out);  // load_vrrp.cpp

}  // namespace sluice::config
