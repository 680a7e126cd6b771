#include "dataplane/forward/pipeline.h"

#include <algorithm>
#include <cstring>

#include "dataplane/packet/arp.h"
#include "dataplane/packet/headers.h"
#include "dataplane/packet/icmp.h"
#include "dataplane/packet/nat.h"
#include "dataplane/packet/parse.h"
#include "dataplane/packet/tcp_reset.h"
#include "dataplane/packet/tunnel.h"

namespace sluice::dataplane::forward {

using packet::PacketMeta;
using packet::ParseStatus;

namespace {

conn::ConnTableConfig table_config(const PipelineConfig& c) {
    conn::ConnTableConfig t;
    t.max_connections = c.max_connections;
    t.timeout_profiles = static_cast<std::uint16_t>(kMaxServiceSlots);
    t.seed = c.conn_seed;
    return t;
}

constexpr std::uint8_t kIcmpUnreachable = 3;
constexpr std::uint8_t kIcmpTimeExceeded = 11;
constexpr std::uint8_t kIcmpParameterProblem = 12;

bool is_new_connection_packet(const PacketMeta& meta, bool sloppy_tcp) {
    if (meta.ip_proto != packet::kIpProtoTcp) {
        return true;  // UDP: any datagram opens a connection
    }
    // LVS schedules TCP only on a SYN (no ACK, no RST); anything else without
    // a tracked connection belongs to a flow we never saw. With sloppy_tcp
    // (LVS tcp_conn_schedule: `th->syn || sloppy_tcp`, never on a RST) any
    // other segment opens one too.
    if (sloppy_tcp) {
        return (meta.tcp_flags & packet::kTcpRst) == 0;
    }
    return (meta.tcp_flags & (packet::kTcpSyn | packet::kTcpAck | packet::kTcpRst)) ==
           packet::kTcpSyn;
}

}  // namespace

Pipeline::Pipeline(const PipelineConfig& config)
    : conns_(table_config(config)),
      backend_counts_(kMaxBackendSlots),
      sched_state_(kMaxServiceSlots),
      scratch_active_(sched::kMaxBackends),
      scratch_inactive_(sched::kMaxBackends),
      persistence_(std::max<std::uint32_t>(config.max_connections / 4, 1024)) {
    conns_.attach_backend_counts(backend_counts_);
}

void Pipeline::adopt(const Snapshot& snapshot) {
    ++persistence_epoch_;
    for (std::size_t i = 0; i < snapshot.timeouts.size() && i < kMaxServiceSlots; ++i) {
        conns_.set_timeouts(static_cast<std::uint16_t>(i), snapshot.timeouts[i]);
    }
}

void Pipeline::emit(const NeighbourEvent& e) noexcept {
    if (event_count_ == kMaxEvents) {
        counters_.drop(DropReason::event_ring_full);
        return;
    }
    events_[event_count_++] = e;
}

Verdict Pipeline::process(Frame& frame, const Snapshot& snapshot, const NeighbourTable& neighbours,
                          std::uint64_t now_s) noexcept {
    PacketMeta meta;
    const ParseStatus status = packet::parse_frame(frame.data, frame.len, meta);
    return process_parsed(frame, meta, status, nullptr, snapshot, neighbours, now_s);
}

void Pipeline::process_burst(Frame* frames, Verdict* verdicts, std::uint32_t n,
                             const Snapshot& snapshot, const NeighbourTable& neighbours,
                             std::uint64_t now_s) noexcept {
    n = n < kMaxBurstFrames ? n : kMaxBurstFrames;
    for (std::uint32_t i = 0; i < n; ++i) {
        PacketMeta& meta = burst_meta_[i];
        meta = PacketMeta{};
        burst_status_[i] = packet::parse_frame(frames[i].data, frames[i].len, meta);
        // The table key is the packet's own 5-tuple in both directions (client
        // -> VIP forward, backend -> client reply): hash it and prefetch.
        burst_hashed_[i] =
            burst_status_[i] == ParseStatus::ok && !meta.is_fragment &&
            (meta.ip_proto == packet::kIpProtoTcp || meta.ip_proto == packet::kIpProtoUdp);
        if (burst_hashed_[i]) {
            const conn::FlowKey key{meta.src_ip.value, meta.dst_ip.value, meta.src_port,
                                    meta.dst_port, meta.ip_proto};
            burst_hash_[i] = conns_.hash(key);
            conns_.prefetch(burst_hash_[i]);
        }
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        verdicts[i] = process_parsed(frames[i], burst_meta_[i], burst_status_[i],
                                     burst_hashed_[i] ? &burst_hash_[i] : nullptr, snapshot,
                                     neighbours, now_s);
    }
}

Verdict Pipeline::process_parsed(Frame& frame, PacketMeta& meta, ParseStatus status,
                                 const std::uint64_t* key_hash, const Snapshot& snapshot,
                                 const NeighbourTable& neighbours, std::uint64_t now_s) noexcept {
    if (status == ParseStatus::arp) {
        return on_arp(frame, meta, snapshot, neighbours);
    }
    if (status == ParseStatus::not_ip) {
        return to_host(frame, DropReason::not_ip);  // IPv6, LLDP, ...: the host's business
    }
    if (status != ParseStatus::ok) {
        counters_.parse[static_cast<std::size_t>(status)].add(1);
        return drop(DropReason::bad_header);
    }
    const std::uint32_t ip_end =
        meta.l3_offset + meta.ip_total_len;  // drop Ethernet padding before forwarding
    frame.tailroom += frame.len - ip_end;
    frame.len = ip_end;
    if (meta.is_fragment) {
        return drop(DropReason::fragment);
    }

    const std::uint32_t dst = meta.dst_ip.value;
    if (meta.ip_proto == packet::kIpProtoVrrp) {
        // VRRP adverts (RFC 5798 s5.1.1.2: multicast 224.0.0.18, or unicast to one of
        // our addresses) are the control plane's; it validates and counts them.
        if (dst == packet::kVrrpGroup || snapshot.port_owning(dst) >= 0) {
            return Verdict{Action::punt, DropReason::punt_full, frame.in_port, 0, frame.len, 0};
        }
        return drop(DropReason::not_for_us);
    }
    if (snapshot.port_owning(dst) >= 0) {
        if (meta.ip_proto == packet::kIpProtoIcmp && meta.icmp_type == packet::kIcmpEchoRequest) {
            return echo_reply(frame, meta, snapshot);
        }
        return to_host(frame, DropReason::host_bound);
    }
    if (meta.ip_proto == packet::kIpProtoTcp || meta.ip_proto == packet::kIpProtoUdp) {
        if (const ServiceView* service = snapshot.find_service(dst, meta.dst_port, meta.ip_proto)) {
            if (!snapshot.owns_vip(dst)) {
                return drop(DropReason::vip_not_owned);
            }
            return on_service(frame, meta, *service, key_hash, snapshot, neighbours, now_s);
        }
        const conn::FlowKey key{meta.src_ip.value, dst, meta.src_port, meta.dst_port,
                                meta.ip_proto};
        const conn::Match m =
            key_hash != nullptr ? conns_.lookup(key, *key_hash) : conns_.lookup(key);
        if (m && m.direction == conn::Direction::server_to_client) {
            return on_reply(frame, meta, *m.conn, snapshot, neighbours, now_s);
        }
        return drop(DropReason::not_for_us);
    }
    if (meta.ip_proto == packet::kIpProtoIcmp &&
        (meta.icmp_type == kIcmpUnreachable || meta.icmp_type == kIcmpTimeExceeded ||
         meta.icmp_type == kIcmpParameterProblem)) {
        return on_icmp_error(frame, meta, snapshot, neighbours);
    }
    if (meta.ip_proto == packet::kIpProtoIcmp && snapshot.is_vip(dst)) {
        if (!snapshot.owns_vip(dst)) {
            return drop(DropReason::vip_not_owned);
        }
        if (meta.icmp_type == packet::kIcmpEchoRequest) {
            return echo_reply(frame, meta, snapshot);
        }
        return drop(DropReason::icmp_unsupported);
    }
    return drop(DropReason::not_for_us);
}

Verdict Pipeline::on_arp(Frame& frame, const PacketMeta& meta, const Snapshot& snapshot,
                         const NeighbourTable& neighbours) noexcept {
    packet::ArpPacket arp;
    if (packet::parse_arp(frame.data + meta.l2_len, frame.len - meta.l2_len, arp) !=
        packet::ArpStatus::ok) {
        return drop(DropReason::bad_arp);
    }
    if (frame.in_port >= snapshot.ports.size()) {
        return drop(DropReason::not_for_us);
    }
    const PortView& port = snapshot.ports[frame.in_port];
    // Learn on-link senders we do not know yet (or that moved: a new MAC after
    // a failover); the control plane owns the table and publishes it.
    // Never learn ourselves (our own frames can come back, e.g. the kernel's
    // through the exception path on a shared segment).
    const bool from_us =
        arp.sender_mac == port.mac || snapshot.port_owning(arp.sender_ip.value) >= 0;
    // Nor VIPs: a VRRP peer's gratuitous ARPs announce where a VIP lives, not a next hop.
    if (!arp.is_probe() && !from_us && !snapshot.is_vip(arp.sender_ip.value) &&
        next_hop(port, arp.sender_ip) == arp.sender_ip) {
        const packet::MacAddr* known = neighbours.find(arp.sender_ip.value);
        if (known == nullptr || *known != arp.sender_mac) {
            emit({NeighbourEvent::Kind::learned, frame.in_port, arp.sender_ip.value,
                  arp.sender_mac});
        }
    }
    if (arp.op != packet::kArpOpRequest) {
        // A reply: learned above; the kernel may have asked too (its own traffic
        // through the exception path), so it gets a copy of the frame itself.
        return to_host(frame, DropReason::count_);  // nothing to count without a TAP
    }
    const std::uint32_t target = arp.target_ip.value;
    const bool own_address = snapshot.port_owning(target) == static_cast<int>(frame.in_port);
    const bool owned_vip = snapshot.owns_vip(target) && !arp.is_gratuitous();
    if (!own_address && !owned_vip) {
        // A VRRP backup never answers for the VIPs (RFC 5798 s6.4.2).
        return drop(snapshot.is_vip(target) && !arp.is_gratuitous() ? DropReason::vip_not_owned
                                                                    : DropReason::arp_not_for_us);
    }
    const packet::MacAddr* vmac = own_address ? nullptr : snapshot.vip_mac(target);
    if (packet::make_arp_reply(frame.data, meta, arp, vmac != nullptr ? *vmac : port.mac) !=
        packet::ArpStatus::ok) {
        return drop(DropReason::bad_arp);
    }
    counters_.arp_replies.add(1);
    return Verdict{Action::transmit, DropReason::not_for_us, frame.in_port, 0, frame.len};
}

// An ICMP error about a packet of a tracked connection (RFC 5508 s4, as LVS's
// ip_vs_in_icmp / ip_vs_out_icmp): the quoted packet, reversed, is a key of
// the connection. Errors travelling to the client are made to look as if they
// concern the VIP; errors travelling to the backend, as if they concern it.
Verdict Pipeline::on_icmp_error(Frame& frame, PacketMeta& meta, const Snapshot& snapshot,
                                const NeighbourTable& neighbours) noexcept {
    packet::EmbeddedPacket emb;
    if (packet::parse_icmp_error(frame.data, meta, emb) != packet::IcmpStatus::ok ||
        !emb.has_l4_header ||
        (emb.ip_proto != packet::kIpProtoTcp && emb.ip_proto != packet::kIpProtoUdp)) {
        return drop(DropReason::icmp_unsupported);
    }
    const conn::FlowKey key{emb.dst_ip.value, emb.src_ip.value, emb.dst_port, emb.src_port,
                            emb.ip_proto};
    const conn::Match m = conns_.lookup(key);
    if (!m) {
        return drop(DropReason::not_for_us);
    }
    const conn::Connection& c = *m.conn;
    if (m.direction == conn::Direction::server_to_client) {
        // About a packet we sent to the backend (NAT): tell the client about the VIP.
        if (packet::decrement_ttl(frame.data, meta) != packet::TtlStatus::ok) {
            return drop(DropReason::ttl_exceeded);
        }
        packet::rewrite_embedded_destination(frame.data, meta, emb, common::Ipv4Addr{c.vip_ip},
                                             c.vip_port);
        packet::rewrite_source(frame.data, meta, common::Ipv4Addr{c.vip_ip}, 0);
        return send(frame, snapshot, neighbours, common::Ipv4Addr{c.client_ip}, 0);
    }
    // About a packet the client got from the VIP: it belongs to the backend.
    switch (c.method) {
        case conn::ForwardMethod::nat:
            if (packet::decrement_ttl(frame.data, meta) != packet::TtlStatus::ok) {
                return drop(DropReason::ttl_exceeded);
            }
            packet::rewrite_embedded_source(frame.data, meta, emb, common::Ipv4Addr{c.backend_ip},
                                            c.backend_port);
            packet::rewrite_destination(frame.data, meta, common::Ipv4Addr{c.backend_ip}, 0);
            return send(frame, snapshot, neighbours, common::Ipv4Addr{c.backend_ip}, 0);
        case conn::ForwardMethod::dr:
            return send(frame, snapshot, neighbours, common::Ipv4Addr{c.backend_ip}, 0);
        case conn::ForwardMethod::tun:
            break;  // would need encapsulation like the data; rare enough to count and drop
    }
    return drop(DropReason::icmp_unsupported);
}

Verdict Pipeline::frag_needed(Frame& frame, const PacketMeta& meta, const Snapshot& snapshot,
                              const NeighbourTable& neighbours,
                              std::uint16_t next_hop_mtu) noexcept {
    // The quoted part (IP header + 8 bytes) is copied out first: the error is
    // built in place over the packet it quotes.
    std::array<std::uint8_t, 60 + packet::kIcmpErrorQuotedL4> quoted{};
    const std::uint32_t ip_len = frame.len - meta.l2_len;
    const std::uint32_t n =
        std::min<std::uint32_t>(ip_len, static_cast<std::uint32_t>(quoted.size()));
    std::memcpy(quoted.data(), frame.data + meta.l2_len, n);
    if (frame.in_port >= snapshot.ports.size() || snapshot.ports[frame.in_port].addresses.empty()) {
        return Verdict{Action::drop, DropReason::too_big, 0, 0, 0, 0};
    }
    const common::Ipv4Addr source = snapshot.ports[frame.in_port].addresses.front().addr;
    std::uint32_t len = 0;
    const std::span<std::uint8_t> out(frame.data + meta.l2_len, ip_len);
    if (packet::build_frag_needed(out, quoted.data(), n, next_hop_mtu, source, ip_id_++, len) !=
        packet::IcmpStatus::ok) {
        return Verdict{Action::drop, DropReason::too_big, 0, 0, 0, 0};
    }
    frame.len = meta.l2_len + len;
    return send(frame, snapshot, neighbours, meta.src_ip, 0);
}

Verdict Pipeline::echo_reply(Frame& frame, PacketMeta& meta, const Snapshot& snapshot) noexcept {
    if (packet::make_echo_reply(frame.data, meta) != packet::IcmpStatus::ok) {
        return drop(DropReason::icmp_unsupported);
    }
    // Back to the sender's MAC through the port it came in on.
    const packet::EtherView<std::uint8_t> eth(frame.data);
    eth.set_dst(eth.src());
    eth.set_src(snapshot.ports[frame.in_port].mac);
    counters_.icmp_echo_replies.add(1);
    return Verdict{Action::transmit, DropReason::not_for_us, frame.in_port, 0, frame.len};
}

std::uint32_t Pipeline::schedule(const ServiceView& service, const PacketMeta& meta,
                                 std::uint64_t now_s) noexcept {
    std::span<const std::uint32_t> active;
    std::span<const std::uint32_t> inactive;
    if (!service.scheduler) {
        return sched::kNoBackend;
    }
    const auto algo = service.scheduler->algorithm();
    if (algo == sched::Algorithm::kLeastConnection ||
        algo == sched::Algorithm::kWeightedLeastConnection) {
        // The scheduler's backends only: a sorry server follows them in the list.
        const std::size_t n =
            std::min<std::size_t>(service.scheduler->backend_count(), service.backends.size());
        for (std::size_t i = 0; i < n; ++i) {
            const auto& counts = backend_counts_[service.backends[i].slot];
            scratch_active_[i] = counts.active;
            scratch_inactive_[i] = counts.inactive;
        }
        active = {scratch_active_.data(), n};
        inactive = {scratch_inactive_.data(), n};
    }
    sched::PickContext ctx{sched_state_[service.slot], active, inactive};
    const conn::FlowKey flow{meta.src_ip.value, meta.dst_ip.value, meta.src_port, meta.dst_port,
                             meta.ip_proto};
    if (service.persistence_timeout == 0) {
        return service.scheduler->pick(ctx, flow);
    }
    const auto now = static_cast<std::uint32_t>(now_s);
    const sched::PersistenceKey key{
        service.slot + persistence_epoch_ * kMaxServiceSlots,
        sched::persistence_key(meta.src_ip.value, service.persistence_mask.value)};
    std::uint32_t backend = persistence_.lookup(key, now, service.scheduler->backends());
    if (backend == sched::kNoBackend) {
        backend = service.scheduler->pick(ctx, flow);
    }
    // (Re)bind: every new connection of the client network extends the binding.
    if (backend != sched::kNoBackend &&
        !persistence_.insert(key, backend, now, service.persistence_timeout)) {
        counters_.persistence_full.add(1);
    }
    return backend;
}

Verdict Pipeline::on_service(Frame& frame, PacketMeta& meta, const ServiceView& service,
                             const std::uint64_t* key_hash, const Snapshot& snapshot,
                             const NeighbourTable& neighbours, std::uint64_t now_s) noexcept {
    const conn::FlowKey key{meta.src_ip.value, meta.dst_ip.value, meta.src_port, meta.dst_port,
                            meta.ip_proto};
    conn::Connection* c = nullptr;
    if (const conn::Match m =
            key_hash != nullptr ? conns_.lookup(key, *key_hash) : conns_.lookup(key);
        m) {
        c = m.conn;
        if (snapshot.must_reset(c->backend_slot)) {
            return reset_connection(frame, meta, m.handle);
        }
    } else {
        if (!is_new_connection_packet(meta, snapshot.sloppy_tcp)) {
            return drop(DropReason::no_connection);
        }
        std::uint32_t b = schedule(service, meta, now_s);
        if (b == sched::kNoBackend || b >= service.backends.size()) {
            // keepalived sorry_server: takes the new connections while no backend can.
            if (!service.sorry_index || *service.sorry_index >= service.backends.size()) {
                return drop(DropReason::no_backend);
            }
            b = *service.sorry_index;
            counters_.sorry.add(1);
        }
        const BackendView& backend = service.backends[b];
        conn::ConnInit init;
        init.backend_ip = backend.ip.value;
        init.backend_port = backend.port;
        init.method = service.method;
        init.service_index = service.slot;
        init.backend_index = b;
        init.backend_slot = backend.slot;
        init.timeouts_index = service.timeouts_index;
        std::optional<conn::FlowKey> reply;
        if (service.method == conn::ForwardMethod::nat) {
            reply = conn::FlowKey{backend.ip.value, meta.src_ip.value, backend.port, meta.src_port,
                                  meta.ip_proto};
        }
        const conn::InsertResult r = conns_.insert(key, reply, init, now_s);
        if (r.status == conn::InsertStatus::table_full) {
            return drop(DropReason::table_full);
        }
        if (!r.ok()) {
            return drop(DropReason::conn_insert_failed);
        }
        c = r.conn;
        counters_.services[service.slot].connections.add(1);
        counters_.backends[backend.slot].connections.add(1);
    }
    conns_.on_packet(*c, conn::Direction::client_to_server, now_s, frame.len, meta.tcp_flags);
    auto& svc_count = counters_.services[c->service_index % kMaxServiceSlots];
    auto& be_count = counters_.backends[c->backend_slot % kMaxBackendSlots];
    svc_count.packets_in.add(1);
    svc_count.bytes_in.add(frame.len);
    be_count.packets_in.add(1);
    be_count.bytes_in.add(frame.len);

    const common::Ipv4Addr backend_ip{c->backend_ip};
    switch (c->method) {
        case conn::ForwardMethod::nat:
            if (packet::decrement_ttl(frame.data, meta) != packet::TtlStatus::ok) {
                return drop(DropReason::ttl_exceeded);
            }
            packet::rewrite_destination(frame.data, meta, backend_ip, c->backend_port);
            return send(frame, snapshot, neighbours, backend_ip, 0);
        case conn::ForwardMethod::dr:
            // LVS-DR: only the destination MAC changes; the backend holds the VIP.
            return send(frame, snapshot, neighbours, backend_ip, 0);
        case conn::ForwardMethod::tun: {
            if (frame.headroom < packet::kIpipOverhead) {
                return drop(DropReason::no_headroom);
            }
            const auto r = route(snapshot, backend_ip);
            if (!r) {
                return drop(DropReason::no_route);
            }
            const PortView& out = snapshot.ports[r->port];
            const common::Ipv4Addr local =
                out.addresses.empty() ? common::Ipv4Addr{} : out.addresses.front().addr;
            // Move the Ethernet header 20 bytes forward first: the outer IPv4
            // header then goes into the 20 bytes just before the inner one,
            // which overlap the old Ethernet header.
            std::uint8_t* ip_start = frame.data + meta.l2_len;
            const std::uint32_t ip_len = frame.len - meta.l2_len;
            std::memmove(frame.data - packet::kIpipOverhead, frame.data, meta.l2_len);
            const packet::EncapStatus st =
                packet::encap_ipip(ip_start, ip_len, ip_start - packet::kIpipOverhead, local,
                                   backend_ip, ip_id_++, out.mtu);
            if (st == packet::EncapStatus::too_big) {
                // RFC 1191: tell the client the path MTU (the tunnel's overhead
                // off ours) so it sends smaller packets. Encapsulation wrote
                // nothing, so the frame still holds the original packet.
                counters_.drop(DropReason::too_big);
                return frag_needed(frame, meta, snapshot, neighbours,
                                   static_cast<std::uint16_t>(out.mtu - packet::kIpipOverhead));
            }
            if (st != packet::EncapStatus::ok) {
                return drop(DropReason::needs_fragmentation);
            }
            frame.data -= packet::kIpipOverhead;
            frame.len += packet::kIpipOverhead;
            frame.headroom -= packet::kIpipOverhead;
            return send(frame, snapshot, neighbours, backend_ip, packet::kIpipOverhead);
        }
    }
    return drop(DropReason::conn_insert_failed);
}

Verdict Pipeline::reset_connection(Frame& frame, PacketMeta& meta,
                                   conn::ConnHandle handle) noexcept {
    conns_.erase(handle);
    // The client's packet is not forwarded, whatever is sent back instead.
    counters_.drop(DropReason::backend_reset);
    std::uint32_t len = 0;
    // UDP: nothing to answer; the client's next datagram is scheduled anew.
    // TCP: RFC 793 reset generation, back out of the port the segment came in
    // on (never in answer to a RST).
    if (meta.ip_proto != packet::kIpProtoTcp ||
        packet::make_tcp_reset(frame.data, frame.len + frame.tailroom, meta, ip_id_++, len) !=
            packet::TcpResetStatus::ok) {
        return Verdict{Action::drop, DropReason::backend_reset, 0, 0, 0, 0};
    }
    if (len > frame.len) {
        frame.tailroom -= len - frame.len;
    }
    frame.len = len;
    counters_.resets_sent.add(1);
    return Verdict{Action::transmit, DropReason::not_for_us, frame.in_port, 0, frame.len};
}

Verdict Pipeline::on_reply(Frame& frame, PacketMeta& meta, conn::Connection& c,
                           const Snapshot& snapshot, const NeighbourTable& neighbours,
                           std::uint64_t now_s) noexcept {
    if (snapshot.must_reset(c.backend_slot)) {
        // The backend is down and its connections are being reset: nothing of
        // it reaches the client; the client's next packet removes the connection.
        return drop(DropReason::backend_reset);
    }
    conns_.on_packet(c, conn::Direction::server_to_client, now_s, frame.len, meta.tcp_flags);
    auto& svc_count = counters_.services[c.service_index % kMaxServiceSlots];
    auto& be_count = counters_.backends[c.backend_slot % kMaxBackendSlots];
    svc_count.packets_out.add(1);
    svc_count.bytes_out.add(frame.len);
    be_count.packets_out.add(1);
    be_count.bytes_out.add(frame.len);
    if (packet::decrement_ttl(frame.data, meta) != packet::TtlStatus::ok) {
        return drop(DropReason::ttl_exceeded);
    }
    packet::rewrite_source(frame.data, meta, common::Ipv4Addr{c.vip_ip}, c.vip_port);
    return send(frame, snapshot, neighbours, common::Ipv4Addr{c.client_ip}, 0);
}

Verdict Pipeline::send(Frame& frame, const Snapshot& snapshot, const NeighbourTable& neighbours,
                       common::Ipv4Addr dst, std::uint32_t prepended) noexcept {
    const auto r = route(snapshot, dst);
    if (!r) {
        return drop(DropReason::no_route);
    }
    const packet::MacAddr* mac = neighbours.find(r->next_hop.value);
    if (mac == nullptr) {
        emit({NeighbourEvent::Kind::unresolved, r->port, r->next_hop.value, {}});
        return Verdict{Action::hold, DropReason::unresolved_neighbour,
                       r->port,      prepended,
                       frame.len,    r->next_hop.value};
    }
    const packet::EtherView<std::uint8_t> eth(frame.data);
    eth.set_dst(*mac);
    eth.set_src(snapshot.ports[r->port].mac);
    counters_.forwarded.add(1);
    return Verdict{Action::transmit, DropReason::not_for_us, r->port, prepended, frame.len};
}

}  // namespace sluice::dataplane::forward
