#pragma once
// State shared by the translation steps (translate_*.cpp): the options, what
// has been seen so far (interfaces, addresses, names), the TOML tables being
// built and the not-translated list, plus value readers that note bad values.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "controlplane/import/keepalived_import.h"
#include "controlplane/import/keepalived_parser.h"
#include "controlplane/import/toml_text.h"

namespace sluice::import {

struct InstanceInfo {
    std::string name;
    std::string interface;
    std::vector<common::Ipv4Prefix> vips;
    std::vector<common::Ipv4Addr> unicast_src;
    SourceLine where;
};

struct Context {
    explicit Context(const ImportOptions& opts) : options(opts) {}

    const ImportOptions& options;
    std::vector<std::string> notes;
    std::uint32_t vrrp_version = 2;       // keepalived's default
    std::vector<std::string> interfaces;  // in the order first seen
    std::vector<SourceLine> interface_where;
    std::vector<InstanceInfo> instances;  // from the pre-pass
    std::set<std::string> script_names;
    std::set<std::string> instance_names;
    std::set<std::string> service_names;
    std::set<std::uint32_t> used_addresses;  // VIPs, real servers, peers: not for ports
    std::vector<common::Ipv4Addr> service_vips;
    SourceLine first_service;

    TomlTable global{"[global]", {}, {}};
    std::vector<TomlTable> scripts;
    std::vector<TomlTable> vrrp_instances;
    std::vector<TomlTable> sync_groups;
    std::vector<TomlTable> services;

    void note(const SourceLine& where, const std::string& keyword, const std::string& why);
    void note(const Statement& st, const std::string& why) { note(st.where, st.keyword, why); }
    void see_interface(const std::string& name, const SourceLine& where);
    const InstanceInfo* instance_holding(common::Ipv4Addr vip) const;

    // Value readers: on a missing or bad value they note it and return nullopt.
    std::optional<std::string> text(const Statement& st);  // all arguments joined
    std::optional<std::int64_t> integer(const Statement& st, std::int64_t lo, std::int64_t hi,
                                        std::size_t index = 0);
    std::optional<double> number(const Statement& st, double lo, double hi);
    std::optional<common::Ipv4Addr> address(const Statement& st, std::size_t index = 0);
    // A flag keyword: no argument, or on/off, true/false, yes/no.
    std::optional<bool> flag(const Statement& st);
    // Notes arguments from `index` on as ignored extras.
    void extra_args(const Statement& st, std::size_t index);
    void unknown(const Statement& st, const std::string& section);
};

void translate_global(Context& cx, const Statement& st);
void translate_vrrp_script(Context& cx, const Statement& st);
void prescan_vrrp_instance(Context& cx, const Statement& st);
void translate_vrrp_instance(Context& cx, const Statement& st);
void translate_sync_group(Context& cx, const Statement& st);
void translate_virtual_server(Context& cx, const Statement& st);
// Fills `check` from a TCP_CHECK/HTTP_GET/... block; false when the block is no checker.
bool translate_checker(Context& cx, const Statement& st, TomlTable& check);
TomlTable build_dataplane(Context& cx);

}  // namespace sluice::import
