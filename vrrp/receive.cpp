#include "vrrp/receive.h"

#include <algorithm>

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/headers.h"

namespace sluice::vrrp {
namespace {

namespace pkt = dataplane::packet;

constexpr std::size_t kVrrpHeaderLen = 8;

RxResult drop(RxResult r, RxDrop why) {
    r.drop = why;
    return r;
}

RxDrop from_decode(AdvertError e) {
    switch (e) {
        case AdvertError::ok:
            return RxDrop::ok;
        case AdvertError::bad_ttl:
            return RxDrop::bad_ttl;
        case AdvertError::truncated:
            return RxDrop::truncated;
        case AdvertError::bad_version:
            return RxDrop::bad_version;
        case AdvertError::bad_type:
            return RxDrop::bad_type;
        case AdvertError::bad_length:
            return RxDrop::bad_length;
        case AdvertError::bad_checksum:
            return RxDrop::bad_checksum;
        case AdvertError::bad_count:
            return RxDrop::bad_count;
        case AdvertError::zero_interval:
            return RxDrop::zero_interval;
    }
    return RxDrop::bad_version;
}

bool contains(const std::vector<common::Ipv4Addr>& list, common::Ipv4Addr a) {
    return std::find(list.begin(), list.end(), a) != list.end();
}

std::vector<common::Ipv4Addr> sorted_unique(std::span<const common::Ipv4Addr> in) {
    std::vector<common::Ipv4Addr> v(in.begin(), in.end());
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

}  // namespace

bool addresses_differ(std::span<const common::Ipv4Addr> advertised,
                      std::span<const common::Ipv4Addr> ours) {
    return sorted_unique(advertised) != sorted_unique(ours);
}

RxResult receive(std::span<const std::uint8_t> ipv4_packet, std::uint16_t port,
                 std::span<const RxInstance> instances) {
    RxResult r;

    // 1. IPv4 header.
    if (ipv4_packet.size() < pkt::kIpv4MinHeaderLen)
        return drop(r, RxDrop::truncated);
    const pkt::Ipv4View ip(ipv4_packet.data());
    if (ip.version() != 4)
        return drop(r, RxDrop::bad_ip_header);
    const std::uint32_t header_len = ip.header_len();
    const std::uint32_t total_len = ip.total_len();
    if (header_len < pkt::kIpv4MinHeaderLen)
        return drop(r, RxDrop::bad_ip_header);
    if (total_len > ipv4_packet.size())
        return drop(r, RxDrop::truncated);
    if (header_len > total_len)
        return drop(r, RxDrop::bad_ip_header);
    if (!pkt::ipv4_header_checksum_ok(ipv4_packet.data(), header_len)) {
        return drop(r, RxDrop::bad_ip_header);
    }
    if (ip.more_fragments() || ip.fragment_offset() != 0)
        return drop(r, RxDrop::bad_ip_header);
    r.src = ip.src();
    r.dst = ip.dst();
    if (ip.protocol() != kVrrpProtocol)
        return drop(r, RxDrop::not_vrrp);

    // 2. The VRRP message is what the total length covers after the header.
    const auto vrrp = ipv4_packet.subspan(header_len, total_len - header_len);
    if (vrrp.size() < kVrrpHeaderLen)
        return drop(r, RxDrop::truncated);

    // 3. The instance.
    const std::uint8_t vrid = vrrp[1];
    const auto version = static_cast<std::uint8_t>(vrrp[0] >> 4);
    int same_vrid = -1;
    for (std::size_t i = 0; i < instances.size(); ++i) {
        const RxInstance& in = instances[i];
        if (in.port != port || in.vrid != vrid)
            continue;
        if (same_vrid < 0 || in.version == version)
            same_vrid = static_cast<int>(i);
        if (in.version == version)
            break;
    }
    if (same_vrid < 0)
        return drop(r, RxDrop::unknown_vrid);
    r.instance = same_vrid;
    const RxInstance& inst = instances[static_cast<std::size_t>(same_vrid)];
    if (version != 2 && version != 3)
        return drop(r, RxDrop::bad_version);
    if (inst.version != version)
        return drop(r, RxDrop::version_mismatch);
    const bool unicast = !inst.unicast_peers.empty();

    // 4. The VRRP message itself.
    const std::uint8_t ttl = unicast ? kVrrpTtl : ip.ttl();
    const AdvertError e = decode(vrrp, r.src, r.dst, ttl, r.advert);
    if (e != AdvertError::ok)
        return drop(r, from_decode(e));

    // 5-7. Who sent it, to whom.
    if (r.src == inst.primary_address)
        return drop(r, RxDrop::own_advert);
    if (unicast) {
        if (r.dst != inst.primary_address)
            return drop(r, RxDrop::wrong_destination);
        if (!contains(inst.unicast_peers, r.src))
            return drop(r, RxDrop::unknown_peer);
    } else if (r.dst != kVrrpGroup && r.dst != inst.primary_address) {
        return drop(r, RxDrop::wrong_destination);
    }

    // 8-9. Parameters that must agree.
    if (!auth_matches(r.advert, inst.auth, inst.auth_pass))
        return drop(r, RxDrop::auth_mismatch);
    if (version == 2 && std::uint32_t{r.advert.interval} * 100u != inst.advert_interval_cs) {
        return drop(r, RxDrop::interval_mismatch);
    }

    r.addresses_differ = addresses_differ(r.advert.addresses, inst.vips);
    return r;
}

ReceivedAdvert to_received_advert(const RxResult& r) {
    ReceivedAdvert a;
    a.src = r.src;
    a.priority = r.advert.priority;
    a.interval_cs = r.advert.version == 2 ? std::uint32_t{r.advert.interval} * 100u
                                          : std::uint32_t{r.advert.interval};
    return a;
}

}  // namespace sluice::vrrp
