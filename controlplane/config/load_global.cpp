#include "controlplane/config/load_sections.h"

namespace sluice::config {

void load_global(TableReader& root, Global& global) {
    const DocNode* table = root.table("global");
    if (table == nullptr) {
        return;  // every key has a default
    }
    global.pos = table->pos;
    TableReader r(root.sink(), *table, root.key_path("global"), &global.key_pos);
    r.string("node_name", global.node_name);
    r.enumeration("log_level", global.log_level);
    r.enumeration("log_format", global.log_format);
    r.string("api_socket", global.api_socket);
    r.string("api_socket_owner", global.api_socket_owner);
    r.string("api_socket_group", global.api_socket_group);
    r.string("metrics_listen", global.metrics_listen);
    r.string("script_user", global.script_user);
    r.boolean("enable_script_security", global.enable_script_security);
    r.finish();
}

}  // namespace sluice::config
