#!/usr/bin/env bash
# e2e direct routing (LVS-DR): the 'web' service of config.toml switched to
# lb_kind = "dr". sluiced only rewrites the destination MAC of client packets
# and hands them to a backend on the back LAN; each backend holds the VIP on
# its loopback (never answering ARP for it) and replies straight to the client
# through the testbed's router in NAME-lan, bypassing the appliance. 300
# sequential curl requests spread over the backends by weight (wrr 1:2:3, each
# within 10%), the client sees its answers come from the VIP, the status API
# counts packets in but none out, a 10 s wrk run has no socket errors and no
# non-2xx answers, a UDP DR service answers every datagram from the VIP through
# every backend, a backend drained by reload (weight 0) takes no new
# connections while an open one keeps working, an invalid reload changes
# nothing, and sluiced stops cleanly. With --workers N the same runs on N
# polling workers.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REQUESTS=300
UDP_PORT=7000

e2e_parse_workers_option "$@"  # sets WORKERS, E2E_TEST=dr_forwarding_wN
TB=dr$WORKERS
NODE=e2edr$WORKERS

e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" "$NODE" "$SOCK"
# Switch the 'web' virtual_server (the only active lb_kind line) to DR.
web_line=$(e2e_line_of "$CONF" '^name = "web"')
kind_line=$(awk -v from="$web_line" 'NR > from && /^lb_kind[[:space:]]*=/ { print NR; exit }' "$CONF")
[[ -n $web_line && -n $kind_line ]] || e2e_fatal "no lb_kind line for 'web' in $CONF"
sed -i -E "${kind_line}s/^lb_kind[[:space:]]*=[[:space:]]*\"nat\"/lb_kind = \"dr\"/" "$CONF"
grep -q '^lb_kind = "dr"' "$CONF" || e2e_fatal "could not set lb_kind = \"dr\" in $CONF"
# A UDP DR service: real servers on the VIP's port (DR cannot change ports).
e2e_add_udp_service "$CONF" "$UDP_PORT" dr
e2e_set_workers "$CONF" "$WORKERS"
e2e_check_config "$CONF"

e2e_testbed_up "$TB"

# --- DR backends: VIP on lo, silent about it on ARP, replies via the router -----
for i in 1 2 3; do
  ns_var="TB_NS_BE$i"
  ns=${!ns_var}
  ip -n "$ns" addr add "$TB_VIP/32" dev lo
  ip netns exec "$ns" sysctl -qw \
    net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
    net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2 \
    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 >/dev/null
  ip -n "$ns" route add "$TB_FRONT_NET" via "$TB_ROUTER_BACK_IP" dev eth0
done

# The UDP echo servers bind the VIP (held on lo): a socket bound to 0.0.0.0
# would answer from eth0's own address, as the route to the client picks it.
# Their answers go straight back to the client through the router.
e2e_start_udp_echo "$UDP_PORT" "$TB_VIP"

e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID

# Evidence for a failing first request: what a backend sees on its wire.
# shellcheck disable=SC2317  # called through e2e_check_first_request
capture_be1() {
  e2e_log "tcpdump -ni eth0 in $TB_NS_BE1 (<= 20 packets, 5 s) while curling the VIP:"
  ip netns exec "$TB_NS_BE1" timeout 5 tcpdump -lni eth0 -c 20 -e 'tcp port 80 or arp' \
    >"$W/tcpdump_be1.txt" 2>&1 &
  local dump=$!
  sleep 0.5
  for _ in 1 2 3; do
    ip netns exec "$TB_NS_CLIENT" curl -s -m 1 -o /dev/null "http://$TB_VIP/" || true
  done
  wait "$dump" 2>/dev/null || true
  sed 's/^/    /' "$W/tcpdump_be1.txt"
}

e2e_check_first_request "$W/sluiced.log" capture_be1

# --- 1. weighted spread over 300 requests ----------------------------------------
e2e_check_weighted_spread "$REQUESTS"

# --- 2. answers come from the VIP, and not through the appliance --------------------
remote=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 -o /dev/null -w '%{remote_ip}' "http://$TB_VIP/" || true)
e2e_assert_eq "client's peer address is the VIP" "$TB_VIP" "$remote"
# Only the appliance answers ARP for the VIP (the backends hold it on lo with
# arp_ignore=1), and the reply frames reach the client from the router's
# brfront, not from front0.
vip_mac=$(ip -n "$TB_NS_CLIENT" neigh show "$TB_VIP" dev eth0 | awk '{print $3}')
e2e_assert_eq "client resolves the VIP to sluiced's front0" "$TB_LB1_FRONT_MAC" "$vip_mac"
router_mac=$(ip -n "$TB_NS_LAN" -br link show brfront | awk '{print $3}')
ip netns exec "$TB_NS_CLIENT" timeout 5 tcpdump -lni eth0 -c 1 -e \
  "tcp and src host $TB_VIP and src port 80" >"$W/tcpdump_client.txt" 2>/dev/null &
dump=$!
sleep 0.5
ip netns exec "$TB_NS_CLIENT" curl -s -m 2 -o /dev/null "http://$TB_VIP/" || true
wait "$dump" 2>/dev/null || true
reply_src=$(head -n1 "$W/tcpdump_client.txt")
reply_mac=$(awk '{print $2}' <<<"$reply_src")
e2e_assert_eq "reply frames come from the router (brfront $router_mac), not front0" \
  "$router_mac" "$reply_mac"

# --- 3. wrk for 10 s ------------------------------------------------------------------
e2e_check_wrk

# --- 4. UDP DR through the VIP ---------------------------------------------------------
e2e_check_udp "$UDP_PORT" "$WORKERS" 1

# --- 5. what the API reports --------------------------------------------------------------
e2e_check_status "$SOCK" "$REQUESTS" "$WORKERS"
web=$(jq '[.services[] | select(.name == "web")][0]' <<<"$E2E_STATUS")
e2e_assert_eq "web service forwards by dr" dr "$(jq -r '.method' <<<"$web")"
e2e_assert_ge "web service packets_in counted" "$(jq '.stats.packets_in' <<<"$web")" "$REQUESTS"
e2e_assert_eq "web service packets_out stays 0 (replies bypass the appliance)" 0 \
  "$(jq '.stats.packets_out' <<<"$web")"
udp=$(jq '[.services[] | select(.name == "echo-udp")][0]' <<<"$E2E_STATUS")
e2e_assert_eq "udp service forwards by dr" dr "$(jq -r '.method' <<<"$udp")"
e2e_assert_ge "udp service packets_in counted" "$(jq '.stats.packets_in' <<<"$udp")" 9
e2e_assert_eq "udp service packets_out stays 0 (replies bypass the appliance)" 0 \
  "$(jq '.stats.packets_out' <<<"$udp")"

# --- 6. drain by reload: weight 0 takes no new connections, an open one keeps working
e2e_check_drain_by_reload "$SOCK" "$CONF" 1
# The refused reload left the running config alone.
e2e_ctl "$SOCK" status --json
e2e_assert_eq "web service still forwards by dr after the refused reload" dr \
  "$(jq -r '[.services[] | select(.name == "web")][0].method' <<<"$E2E_OUT")"
e2e_assert_eq "the drained backend still has weight 0 after the refused reload" 0 \
  "$(jq --arg a "$E2E_DRAINED_ADDR" '[.services[] | select(.name == "web")][0].backends[] | select(.address == $a) | .weight' <<<"$E2E_OUT")"

# --- 7. clean stop -------------------------------------------------------------------------
e2e_check_clean_stop "$PID"
e2e_finish
