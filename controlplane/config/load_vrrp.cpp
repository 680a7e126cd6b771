#include "controlplane/config/load_sections.h"

namespace sluice::config {
namespace {

using Kind = DocNode::Kind;

// keepalived: priority and weight changes stay inside 1..254 (RFC 5798 §5.2.4).
constexpr std::int64_t kMaxWeight = 253;

VrrpScript load_vrrp_script(TableReader& root, const TableElement& element) {
    VrrpScript script;
    script.pos = element.table.pos;
    TableReader r(root.sink(), element.table, element.path, &script.key_pos);
    r.string("name", script.name, Need::required);
    r.string("script", script.script, Need::required);
    r.number("interval", script.interval, 0.01, 86400.0);
    r.number("timeout", script.timeout, 0.0, 86400.0);
    r.integer("weight", script.weight, -kMaxWeight, kMaxWeight);
    r.integer("rise", script.rise, 1, 100);
    r.integer("fall", script.fall, 1, 100);
    r.string("user", script.user);
    r.finish();
    return script;
}

// track_script = ["chk_a", { name = "chk_b", weight = -20 }]
void load_track_scripts(TableReader& r, std::vector<TrackScript>& out) {
    const DocNode* node = r.value("track_script");
    if (node == nullptr) {
        return;
    }
    const std::string path = r.key_path("track_script");
    if (node->kind != Kind::array) {
        r.type_error(path, *node, "an array");
        return;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const DocNode& item = node->items[i];
        TrackScript track;
        track.pos = item.pos;
        if (item.kind == Kind::string) {
            track.name = item.text;
        } else if (item.kind == Kind::table) {
            TableReader t(r.sink(), item, element_path(path, item, i), &track.key_pos);
            t.string("name", track.name, Need::required);
            t.integer("weight", track.weight, -kMaxWeight, kMaxWeight);
            t.finish();
        } else {
            r.type_error(path + '[' + std::to_string(i) + ']', item, "a string or a table");
            continue;
        }
        out.push_back(std::move(track));
    }
}

void load_authentication(TableReader& parent, VrrpInstance& instance) {
    const DocNode* table = parent.table("authentication");
    if (table == nullptr) {
        return;
    }
    TableReader r(parent.sink(), *table, parent.key_path("authentication"), &instance.key_pos,
                  "authentication.");
    r.enumeration("auth_type", instance.auth_type, Need::required);
    r.string("auth_pass", instance.auth_pass);
    r.finish();
}

VrrpInstance load_vrrp_instance(TableReader& root, const TableElement& element) {
    VrrpInstance in;
    in.pos = element.table.pos;
    TableReader r(root.sink(), element.table, element.path, &in.key_pos);
    r.string("name", in.name, Need::required);
    r.enumeration("state", in.state);
    r.string("interface", in.interface, Need::required);
    r.integer("virtual_router_id", in.virtual_router_id, 1, 255, Need::required);
    r.integer("priority", in.priority, 1, 255);
    // The finer rule depends on the version (whole seconds in v2, centiseconds
    // in v3); validate() applies it once both are known.
    r.number("advert_int", in.advert_int, 0.01, 255.0);
    r.integer("version", in.version, 2, 3);
    r.prefix_list("virtual_ipaddress", in.virtual_ipaddress);
    r.boolean("nopreempt", in.nopreempt);
    r.number("preempt_delay", in.preempt_delay, 0.0, 1000.0);
    r.address("unicast_src_ip", in.unicast_src_ip);
    r.address_list("unicast_peer", in.unicast_peer);
    load_authentication(r, in);
    load_track_scripts(r, in.track_script);
    r.string_list("track_interface", in.track_interface);
    r.string_list("track_service", in.track_service);
    r.integer("track_service_weight", in.track_service_weight, -kMaxWeight, kMaxWeight);
    r.string("notify_master", in.notify_master);
    r.string("notify_backup", in.notify_backup);
    r.string("notify_fault", in.notify_fault);
    r.string("notify_stop", in.notify_stop);
    r.string("notify", in.notify);
    r.number("garp_master_delay", in.garp_master_delay, 0.0, 86400.0);
    r.integer("garp_master_repeat", in.garp_master_repeat, 0, 1000);
    r.number("garp_master_refresh", in.garp_master_refresh, 0.0, 86400.0);
    r.boolean("use_vmac", in.use_vmac);
    r.boolean("accept", in.accept);
    r.finish();
    return in;
}

VrrpSyncGroup load_vrrp_sync_group(TableReader& root, const TableElement& element) {
    VrrpSyncGroup group;
    group.pos = element.table.pos;
    TableReader r(root.sink(), element.table, element.path, &group.key_pos);
    r.string("name", group.name, Need::required);
    if (r.value("group", Need::required) != nullptr) {
        r.string_list("group", group.group);
    }
    r.string("notify_master", group.notify_master);
    r.string("notify_backup", group.notify_backup);
    r.string("notify_fault", group.notify_fault);
    r.string("notify", group.notify);
    r.finish();
    return group;
}

}  // namespace

void load_vrrp_scripts(TableReader& root, std::vector<VrrpScript>& out) {
    for (const TableElement& element : root.table_array("vrrp_script")) {
        out.push_back(load_vrrp_script(root, element));
    }
}

void load_vrrp_instances(TableReader& root, std::vector<VrrpInstance>& out) {
    for (const TableElement& element : root.table_array("vrrp_instance")) {
        out.push_back(load_vrrp_instance(root, element));
    }
}

void load_vrrp_sync_groups(TableReader& root, std::vector<VrrpSyncGroup>& out) {
    for (const TableElement& element : root.table_array("vrrp_sync_group")) {
        out.push_back(load_vrrp_sync_group(root, element));
    }
}

}  // namespace sluice::config
