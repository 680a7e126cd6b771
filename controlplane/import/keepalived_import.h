#pragma once
// keepalived.conf -> sluice config.toml. The translation covers global_defs,
// vrrp_script, vrrp_instance, vrrp_sync_group and virtual_server with its real
// servers and checkers; every keyword that has no sluice equivalent is listed
// as "FILE:LINE: keyword 'x' not translated: why" and the rest still converts.

#include <map>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "controlplane/import/keepalived_parser.h"

namespace sluice::import {

struct ImportOptions {
    // The appliance's own address per interface (keepalived has none to copy):
    // --address eth0=10.0.0.2/24. Without one, a port takes its instances'
    // unicast_src_ip, else an unused host of a virtual_ipaddress's subnet, and
    // the not-translated list says to set it.
    std::map<std::string, common::Ipv4Prefix, std::less<>> addresses;
};

struct ImportResult {
    std::vector<std::string> errors;          // "FILE:LINE: ...": the input cannot be parsed
    std::string toml;                         // empty when errors is not
    std::vector<std::string> not_translated;  // "FILE:LINE: keyword 'x' not translated: why"

    bool ok() const { return errors.empty(); }
};

ImportResult translate(const ParseResult& parsed, const std::string& source_name,
                       const ImportOptions& options);
ImportResult import_file(const std::string& path, const ImportOptions& options);
ImportResult import_text(const std::string& text, const std::string& file,
                         const ImportOptions& options);

}  // namespace sluice::import
