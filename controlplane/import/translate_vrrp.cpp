// global_defs, vrrp_script, vrrp_instance and vrrp_sync_group.

#include <algorithm>
#include <cmath>

#include "controlplane/import/translate_context.h"

namespace sluice::import {
namespace {

constexpr std::int64_t kMaxTrackWeight = 253;  // sluice keeps priorities inside 1..254

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return s;
}

void set_command(Context& cx, const Statement& st, TomlTable& t, const std::string& key) {
    if (auto v = cx.text(st)) {
        t.set(key, toml_string(*v));
    }
}

void set_user(Context& cx, const Statement& st, TomlTable& t, const std::string& key) {
    if (st.args.empty()) {
        cx.note(st, "it needs a user name");
        return;
    }
    t.set(key, toml_string(st.args[0].text));
    if (st.args.size() > 1) {
        cx.note(st, "the group '" + st.joined_args(1) +
                        "' is ignored; scripts run with the user's group");
    }
}

bool is_notify(const std::string& k) {
    return k == "notify_master" || k == "notify_backup" || k == "notify_fault" || k == "notify";
}

std::vector<std::string> member_words(const Statement& block) {
    std::vector<std::string> out;
    for (const auto& c : block.children) {
        out.push_back(c.keyword);
        for (const auto& a : c.args) {
            out.push_back(a.text);
        }
    }
    return out;
}

}  // namespace

void translate_global(Context& cx, const Statement& st) {
    for (const auto& c : st.children) {
        if (c.keyword == "router_id") {
            if (auto v = cx.text(c)) {
                cx.global.set("node_name", toml_string(*v));
            }
        } else if (c.keyword == "script_user") {
            set_user(cx, c, cx.global, "script_user");
        } else if (c.keyword == "enable_script_security") {
            cx.global.set("enable_script_security", "true");
        } else if (c.keyword == "vrrp_version") {
            cx.integer(c, 2, 3);  // applied to every instance in the pre-pass
        } else {
            cx.unknown(c, "global_defs");
        }
    }
}

void translate_vrrp_script(Context& cx, const Statement& st) {
    if (st.args.size() != 1) {
        cx.note(st, "it needs exactly one name");
        return;
    }
    TomlTable t{"[[vrrp_script]]", {}, {}};
    t.set("name", toml_string(st.args[0].text));
    for (const auto& c : st.children) {
        if (c.keyword == "script") {
            set_command(cx, c, t, "script");
        } else if (c.keyword == "interval" || c.keyword == "timeout") {
            if (auto v = cx.number(c, c.keyword == "interval" ? 0.01 : 0, 86400)) {
                t.set(c.keyword, toml_number(*v));
            }
        } else if (c.keyword == "weight") {
            if (auto v = cx.integer(c, -kMaxTrackWeight, kMaxTrackWeight)) {
                t.set("weight", std::to_string(*v));
            }
        } else if (c.keyword == "rise" || c.keyword == "fall") {
            if (auto v = cx.integer(c, 1, 100)) {
                t.set(c.keyword, std::to_string(*v));
            }
        } else if (c.keyword == "user") {
            set_user(cx, c, t, "user");
        } else {
            cx.unknown(c, "vrrp_script");
        }
    }
    if (!t.has("script")) {
        cx.note(st, "vrrp_script '" + st.args[0].text + "' has no script");
        cx.script_names.erase(st.args[0].text);
        return;
    }
    cx.scripts.push_back(std::move(t));
}

void prescan_vrrp_instance(Context& cx, const Statement& st) {
    if (st.args.size() != 1) {
        return;
    }
    InstanceInfo info;
    info.name = st.args[0].text;
    info.where = st.where;
    for (const auto& c : st.children) {
        if (c.keyword == "interface" && c.args.size() == 1) {
            info.interface = c.args[0].text;
        } else if (c.keyword == "virtual_ipaddress") {
            for (const auto& v : c.children) {
                if (auto p = common::Ipv4Prefix::parse(v.keyword)) {
                    info.vips.push_back(*p);
                    cx.used_addresses.insert(p->addr.value);
                }
            }
        } else if (c.keyword == "unicast_src_ip" && !c.args.empty()) {
            if (auto a = common::Ipv4Addr::parse(c.args[0].text)) {
                info.unicast_src.push_back(*a);
            }
        } else if (c.keyword == "unicast_peer") {
            for (const auto& v : c.children) {
                if (auto a = common::Ipv4Addr::parse(v.keyword)) {
                    cx.used_addresses.insert(a->value);
                }
            }
        }
    }
    if (!info.interface.empty()) {
        cx.instance_names.insert(info.name);
        cx.instances.push_back(std::move(info));
    }
}

void translate_vrrp_instance(Context& cx, const Statement& st) {
    if (st.args.size() != 1) {
        cx.note(st, "it needs exactly one name");
        return;
    }
    const std::string& name = st.args[0].text;
    if (cx.instance_names.count(name) == 0) {
        cx.note(st, "vrrp_instance '" + name + "' has no interface");
        return;
    }
    TomlTable t{"[[vrrp_instance]]", {}, {}};
    t.set("name", toml_string(name));
    std::uint32_t version = cx.vrrp_version;
    for (const auto& c : st.children) {
        if (c.keyword == "version") {
            if (auto v = cx.integer(c, 2, 3)) {
                version = static_cast<std::uint32_t>(*v);
            }
        }
    }
    std::optional<TomlTable> auth;
    const Statement* auth_st = nullptr;
    const Statement* advert_st = nullptr;
    for (const auto& c : st.children) {
        const std::string& k = c.keyword;
        if (k == "state") {
            const std::string s = c.args.empty() ? "" : lower(c.args[0].text);
            if (s == "master" || s == "backup") {
                t.set("state", toml_string(s));
            } else {
                cx.note(c, "state must be MASTER or BACKUP");
            }
        } else if (k == "interface") {
            if (auto v = cx.text(c)) {
                cx.see_interface(*v, c.where);
                t.set("interface", toml_string(*v));
            }
        } else if (k == "virtual_router_id") {
            if (auto v = cx.integer(c, 1, 255)) {
                t.set(k, std::to_string(*v));
            }
        } else if (k == "priority") {
            if (auto v = cx.integer(c, 1, 255)) {
                if (*v == 255) {
                    cx.note(c,
                            "255 means the address owner, and no port of this appliance owns "
                            "the virtual_ipaddress; 254 is used");
                    *v = 254;
                }
                t.set(k, std::to_string(*v));
            }
        } else if (k == "advert_int") {
            advert_st = &c;
        } else if (k == "version") {
            t.set("version", std::to_string(version));
        } else if (k == "nopreempt" || k == "use_vmac" || k == "accept") {
            if (k == "use_vmac" && !c.args.empty()) {
                cx.note(c, "the vmac name '" + c.args[0].text + "' is ignored");
                t.set(k, "true");
            } else if (auto v = cx.flag(c)) {
                t.set(k, *v ? "true" : "false");
            }
        } else if (k == "no_accept") {
            t.set("accept", "false");
        } else if (k == "preempt") {
            t.set("nopreempt", "false");
        } else if (k == "preempt_delay") {
            if (auto v = cx.number(c, 0, 1000)) {
                t.set(k, toml_number(*v));
            }
        } else if (k == "unicast_src_ip") {
            if (auto a = cx.address(c)) {
                t.set(k, toml_string(a->to_string()));
                cx.extra_args(c, 1);
            }
        } else if (k == "unicast_peer") {
            std::vector<std::string> peers;
            for (const auto& p : c.children) {
                if (auto a = common::Ipv4Addr::parse(p.keyword)) {
                    peers.push_back(a->to_string());
                    if (!p.args.empty()) {
                        cx.note(p, "peer options '" + p.joined_args() + "' are ignored");
                    }
                } else {
                    cx.note(p, "not an IPv4 unicast peer (sluice is IPv4 only)");
                }
            }
            t.set(k, toml_string_array(peers));
        } else if (k == "authentication") {
            auth_st = &c;
            TomlTable a{"[vrrp_instance.authentication]", {}, {}};
            bool usable = true;
            for (const auto& ac : c.children) {
                if (ac.keyword == "auth_type") {
                    const std::string type = ac.args.empty() ? "" : lower(ac.args[0].text);
                    if (type == "pass") {
                        a.set("auth_type", toml_string("pass"));
                    } else {
                        cx.note(ac, "auth_type '" + ac.joined_args() +
                                        "' is not supported (sluice: PASS only)");
                        usable = false;
                    }
                } else if (ac.keyword == "auth_pass") {
                    if (auto v = cx.text(ac)) {
                        if (v->size() > 8) {
                            cx.note(ac,
                                    "the password is cut to its first 8 characters, as "
                                    "keepalived does");
                            v->resize(8);
                        }
                        a.set("auth_pass", toml_string(*v));
                    }
                } else {
                    cx.unknown(ac, "authentication");
                }
            }
            if (usable && a.has("auth_type")) {
                auth = std::move(a);
            }
        } else if (k == "virtual_ipaddress") {
            std::vector<std::string> vips;
            for (const auto& v : c.children) {
                if (auto p = common::Ipv4Prefix::parse(v.keyword)) {
                    vips.push_back(p->to_string());
                    if (!v.args.empty()) {
                        cx.note(v.where, v.args[0].text,
                                "address options '" + v.joined_args() +
                                    "' are ignored; sluice answers the address on the instance's "
                                    "interface");
                    }
                } else {
                    cx.note(v, "not an IPv4 address or prefix (sluice is IPv4 only)");
                }
            }
            t.set(k, toml_string_array(vips));
        } else if (k == "track_script") {
            std::vector<std::string> tracks;
            for (const auto& s : c.children) {
                if (cx.script_names.count(s.keyword) == 0) {
                    cx.note(s, "no vrrp_script of this name");
                    continue;
                }
                if (s.args.size() >= 2 && s.args[0].text == "weight") {
                    Statement w{"weight", {s.args.begin() + 1, s.args.end()}, false, {}, s.where};
                    if (auto v = cx.integer(w, -kMaxTrackWeight, kMaxTrackWeight)) {
                        tracks.push_back("{ name = " + toml_string(s.keyword) +
                                         ", weight = " + std::to_string(*v) + " }");
                        continue;
                    }
                } else if (!s.args.empty()) {
                    cx.note(s, "options '" + s.joined_args() + "' are ignored");
                }
                tracks.push_back(toml_string(s.keyword));
            }
            t.set(k, toml_array(tracks));
        } else if (k == "track_interface") {
            std::vector<std::string> names;
            for (const auto& i : c.children) {
                cx.see_interface(i.keyword, i.where);
                names.push_back(i.keyword);
                if (!i.args.empty()) {
                    cx.note(i, "the weight '" + i.joined_args() +
                                   "' is ignored; a tracked interface that goes down means fault");
                }
            }
            t.set(k, toml_string_array(names));
        } else if (k == "notify_master" || k == "notify_backup" || k == "notify_fault" ||
                   k == "notify_stop" || k == "notify") {
            set_command(cx, c, t, k);
        } else if (k == "garp_master_delay" || k == "garp_master_refresh") {
            if (auto v = cx.number(c, 0, 86400)) {
                t.set(k, toml_number(*v));
            }
        } else if (k == "garp_master_repeat") {
            if (auto v = cx.integer(c, 0, 1000)) {
                t.set(k, std::to_string(*v));
            }
        } else {
            cx.unknown(c, "vrrp_instance");
        }
    }
    if (auth_st != nullptr && auth) {
        if (version == 3) {
            cx.note(*auth_st,
                    "VRRPv3 has no authentication (RFC 5798 section 9); keepalived "
                    "ignores it too");
        } else {
            t.children.push_back(std::move(*auth));
        }
    }
    if (advert_st != nullptr) {
        if (auto v = cx.number(*advert_st, 0.01, 255)) {
            double a = *v;
            if (version == 2 && a != std::floor(a)) {
                cx.note(*advert_st, "VRRPv2 adverts are whole seconds; " +
                                        toml_number(std::ceil(a)) + " is used");
                a = std::ceil(a);
            } else if (version == 3 && a > 40.95) {
                cx.note(*advert_st, "VRRPv3 allows at most 40.95 s; 40.95 is used");
                a = 40.95;
            }
            t.set("advert_int", toml_number(a));
        }
    }
    if (!t.has("virtual_router_id")) {
        cx.note(st, "vrrp_instance '" + name + "' has no virtual_router_id");
        cx.instance_names.erase(name);
        return;
    }
    t.set("version", std::to_string(version));
    cx.vrrp_instances.push_back(std::move(t));
}

void translate_sync_group(Context& cx, const Statement& st) {
    if (st.args.size() != 1) {
        cx.note(st, "it needs exactly one name");
        return;
    }
    TomlTable t{"[[vrrp_sync_group]]", {}, {}};
    t.set("name", toml_string(st.args[0].text));
    for (const auto& c : st.children) {
        if (c.keyword == "group") {
            std::vector<std::string> members;
            for (const auto& m : member_words(c)) {
                if (cx.instance_names.count(m) != 0) {
                    members.push_back(m);
                } else {
                    cx.note(c, "'" + m + "' is not a translated vrrp_instance");
                }
            }
            t.set("group", toml_string_array(members));
        } else if (is_notify(c.keyword)) {
            set_command(cx, c, t, c.keyword);
        } else {
            cx.unknown(c, "vrrp_sync_group");
        }
    }
    const std::string* group = t.get("group");
    if (group == nullptr || *group == "[]") {
        cx.note(st, "vrrp_sync_group '" + st.args[0].text + "' has no members");
        return;
    }
    cx.sync_groups.push_back(std::move(t));
}

}  // namespace sluice::import
