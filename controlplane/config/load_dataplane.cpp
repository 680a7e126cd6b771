#include "controlplane/config/load_sections.h"

namespace sluice::config {
namespace {

// DPDK's largest RTE_MAX_LCORE build option; the EAL rejects what the running
// build does not support, with its own message.
constexpr std::int64_t kMaxLcore = 1023;

Port load_port(TableReader& parent, const DocNode& table, const std::string& path) {
    Port port;
    port.pos = table.pos;
    TableReader r(parent.sink(), table, path, &port.key_pos);
    r.string("name", port.name, Need::required);
    r.string("device", port.device, Need::required);
    r.enumeration("role", port.role);
    r.prefix_list("addresses", port.addresses);
    r.address("gateway", port.gateway);
    r.integer("mtu", port.mtu, 68, 9216);
    r.boolean("exception_path", port.exception_path);
    r.finish();
    return port;
}

}  // namespace

void load_dataplane(TableReader& root, Dataplane& dataplane) {
    dataplane.lcores = {1};  // one worker by default; an explicit [] is an error (validate)
    const DocNode* table = root.table("dataplane");
    if (table == nullptr) {
        return;  // validate() reports the missing ports
    }
    dataplane.pos = table->pos;
    TableReader r(root.sink(), *table, root.key_path("dataplane"), &dataplane.key_pos);
    r.integer("main_lcore", dataplane.main_lcore, 0, kMaxLcore);
    r.integer_list("lcores", dataplane.lcores, 0, kMaxLcore);
    r.enumeration("hugepages", dataplane.hugepages);
    r.integer("memory_mb", dataplane.memory_mb, 64, 1048576);
    r.integer("mbufs", dataplane.mbufs, 1023, 16777215);
    r.integer("max_connections", dataplane.max_connections, 1024, 1u << 28);
    // RTE_MEMPOOL_CACHE_MAX_SIZE is 512; with mbufs >= 1023 this also keeps
    // rte_mempool_create()'s cache_size <= n / 1.5 rule.
    r.integer("mbuf_cache", dataplane.mbuf_cache, 0, 512);
    r.integer("rx_desc", dataplane.rx_desc, 64, 32768);
    r.integer("tx_desc", dataplane.tx_desc, 64, 32768);
    r.integer("burst", dataplane.burst, 1, 512);
    r.enumeration("idle", dataplane.idle);
    r.integer("idle_sleep_us", dataplane.idle_sleep_us, 1, 1000000);
    r.boolean("sloppy_tcp", dataplane.sloppy_tcp);
    r.string_list("eal_args", dataplane.eal_args);
    for (const TableElement& port : r.table_array("port")) {
        dataplane.ports.push_back(load_port(r, port.table, port.path));
    }
    r.finish();
}

}  // namespace sluice::config
