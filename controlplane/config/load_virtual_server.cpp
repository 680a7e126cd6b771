#include "controlplane/config/load_sections.h"

namespace sluice::config {
namespace {

constexpr std::int64_t kMaxTimeout = 31536000;  // one year, in seconds

void load_timeouts(TableReader& parent, Timeouts& timeouts) {
    const DocNode* table = parent.table("timeouts");
    if (table == nullptr) {
        return;
    }
    TableReader r(parent.sink(), *table, parent.key_path("timeouts"));
    r.integer("tcp_established", timeouts.tcp_established, 1, kMaxTimeout);
    r.integer("tcp_syn", timeouts.tcp_syn, 1, kMaxTimeout);
    r.integer("tcp_fin", timeouts.tcp_fin, 1, kMaxTimeout);
    r.integer("tcp_close", timeouts.tcp_close, 1, kMaxTimeout);
    r.integer("udp", timeouts.udp, 1, kMaxTimeout);
    r.finish();
}

// A sorry_server is a real server without weight or check (keepalived:
// "sorry_server IP PORT").
void load_sorry_server(TableReader& parent, VirtualServer& vs) {
    const DocNode* table = parent.table("sorry_server");
    if (table == nullptr) {
        return;
    }
    RealServer server;
    server.pos = table->pos;
    server.port = vs.port;
    TableReader r(parent.sink(), *table, parent.key_path("sorry_server"), &server.key_pos);
    r.address("address", server.address, Need::required);
    r.integer("port", server.port, 1, 65535);
    r.finish();
    vs.sorry_server = std::move(server);
}

RealServer load_real_server(TableReader& parent, const TableElement& element,
                            const VirtualServer& vs) {
    RealServer server;
    server.pos = element.table.pos;
    server.port = vs.port;  // keepalived: a real server without a port uses the service's
    TableReader r(parent.sink(), element.table, element.path, &server.key_pos);
    r.address("address", server.address, Need::required);
    r.integer("port", server.port, 1, 65535);
    r.integer("weight", server.weight, 0, 65535);
    r.boolean("inhibit_on_failure", server.inhibit_on_failure);
    r.string("notify_up", server.notify_up);
    r.string("notify_down", server.notify_down);
    if (const DocNode* check = r.table("check")) {
        HealthCheck hc = load_health_check(r, *check, r.key_path("check"));
        if (!hc.delay_loop) {
            hc.delay_loop = vs.delay_loop;
        }
        if (!hc.connect_port) {
            hc.connect_port = server.port;
        }
        server.check = std::move(hc);
    }
    r.finish();
    return server;
}

VirtualServer load_virtual_server(TableReader& root, const TableElement& element) {
    VirtualServer vs;
    vs.pos = element.table.pos;
    TableReader r(root.sink(), element.table, element.path, &vs.key_pos);
    r.string("name", vs.name, Need::required);
    r.address("vip", vs.vip, Need::required);
    r.integer("port", vs.port, 1, 65535, Need::required);
    r.enumeration("protocol", vs.protocol);
    r.enumeration("lb_algo", vs.lb_algo);
    r.enumeration("lb_kind", vs.lb_kind);
    r.string("interface", vs.interface);
    r.integer("persistence_timeout", vs.persistence_timeout, 0, kMaxTimeout);
    r.address("persistence_granularity", vs.persistence_granularity);
    // Maglev lookup tables cost 4 bytes a slot per service; 2^20 is plenty.
    r.integer("mh_table_size", vs.mh_table_size, 1, 1048576);
    r.number("delay_loop", vs.delay_loop, 0.01, 86400.0);
    r.integer("quorum", vs.quorum, 0, 4294967295);
    r.integer("hysteresis", vs.hysteresis, 0, 4294967295);
    r.string("quorum_up", vs.quorum_up);
    r.string("quorum_down", vs.quorum_down);
    r.boolean("reset_on_backend_down", vs.reset_on_backend_down);
    load_sorry_server(r, vs);
    load_timeouts(r, vs.timeouts);
    for (const TableElement& server : r.table_array("real_server")) {
        vs.real_servers.push_back(load_real_server(r, server, vs));
    }
    r.finish();
    return vs;
}

}  // namespace

void load_virtual_servers(TableReader& root, std::vector<VirtualServer>& out) {
    for (const TableElement& element : root.table_array("virtual_server")) {
        out.push_back(load_virtual_server(root, element));
    }
}

}  // namespace sluice::config
