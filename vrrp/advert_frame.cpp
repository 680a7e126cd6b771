#include "vrrp/advert_frame.h"

#include <algorithm>

#include "dataplane/packet/checksum.h"
#include "dataplane/packet/headers.h"

namespace sluice::vrrp {

namespace pkt = dataplane::packet;

std::vector<std::uint8_t> build_advert_frame(const Advert& advert, const FrameAddressing& addr) {
    const std::vector<std::uint8_t> vrrp = encode(advert, addr.src_ip, addr.dst_ip);
    if (vrrp.empty())
        return {};

    const std::uint32_t l2_len = pkt::kEtherHeaderLen + (addr.vlan_tci ? pkt::kVlanTagLen : 0u);
    const auto ip_len = static_cast<std::uint32_t>(pkt::kIpv4MinHeaderLen + vrrp.size());
    std::vector<std::uint8_t> frame(std::max(l2_len + ip_len, pkt::kEtherMinFrameLen), 0);

    const pkt::EtherView eth(frame.data());
    eth.set_dst(addr.dst_mac);
    eth.set_src(addr.src_mac);
    if (addr.vlan_tci) {
        const pkt::VlanView vlan(frame.data() + pkt::EtherView<std::uint8_t>::kEtherType);
        vlan.set_tpid(pkt::kEtherTypeVlan);
        vlan.set_tci(*addr.vlan_tci);
        vlan.set_inner_ether_type(pkt::kEtherTypeIpv4);
    } else {
        eth.set_ether_type(pkt::kEtherTypeIpv4);
    }

    std::uint8_t* const l3 = frame.data() + l2_len;
    const pkt::Ipv4View ip(l3);
    ip.set_version_ihl(pkt::kIpv4MinHeaderLen);
    ip.set_tos(kVrrpTos);
    ip.set_total_len(static_cast<std::uint16_t>(ip_len));
    ip.set_id(addr.ip_id);
    ip.set_flags_frag(0);
    ip.set_ttl(kVrrpTtl);
    ip.set_protocol(kVrrpProtocol);
    ip.set_src(addr.src_ip);
    ip.set_dst(addr.dst_ip);
    pkt::ipv4_set_header_checksum(l3, pkt::kIpv4MinHeaderLen);

    std::copy(vrrp.begin(), vrrp.end(), l3 + pkt::kIpv4MinHeaderLen);
    return frame;
}

}  // namespace sluice::vrrp
