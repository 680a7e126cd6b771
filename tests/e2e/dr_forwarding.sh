#!/usr/bin/env bash
# e2e direct routing (LVS-DR): the 'web' service of config.toml switched to
# lb_kind = "dr". sluiced only rewrites the destination MAC of client packets
# and hands them to a backend on the back LAN; each backend holds the VIP on
# its loopback (never answering ARP for it) and replies straight to the client
# through the testbed's router in NAME-lan, bypassing the appliance. 300
# sequential curl requests spread over the backends by weight (wrr 1:2:3, each
# within 10%), the client sees its answers come from the VIP, the status API
# counts packets in but none out, a short wrk run has no socket errors, and
# sluiced stops cleanly.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REQUESTS=300

case ${1:-} in
  "") ;;
  --help)
    echo "Usage: SLUICED=... SLUICECTL=... tests/e2e/dr_forwarding.sh   (as root)"
    exit 0 ;;
  *) echo "unknown argument $1" >&2; exit 2 ;;
esac
TB=dr1
NODE=e2edr1

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
"$SLUICED" --check "$CONF" >/dev/null || e2e_fatal "test config invalid: $("$SLUICED" --check "$CONF" 2>&1)"

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

e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID

# Evidence for a failing first request: what a backend sees on its wire.
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

# The first request also waits for ARP resolution of the backends (bounded).
# shellcheck disable=SC2317  # called through e2e_wait_for
first_ok() { ip netns exec "$TB_NS_CLIENT" curl -s -m 2 -o /dev/null "http://$TB_VIP/"; }
if e2e_wait_for 15 first_ok; then
  e2e_pass "first request through the VIP answered"
else
  capture_be1
  e2e_fatal "no answer through the VIP within 15 s; log: $(tail -n 20 "$W/sluiced.log")"
fi

# --- 1. weighted spread over 300 requests ----------------------------------------
e2e_log "sending $REQUESTS requests to $TB_VIP"
declare -A hits=([be1]=0 [be2]=0 [be3]=0)
failures=0
for ((i = 0; i < REQUESTS; i++)); do
  body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
  case $body in
    be1 | be2 | be3) hits[$body]=$((hits[$body] + 1)) ;;
    *) failures=$((failures + 1)) ;;
  esac
done
e2e_log "spread: be1=${hits[be1]} be2=${hits[be2]} be3=${hits[be3]} failures=$failures"
e2e_assert_eq "curl failures" 0 "$failures"
weights=(1 2 3)
for i in 1 2 3; do
  expected=$((REQUESTS * weights[i - 1] / 6))
  got=${hits[be$i]}
  if ((got * 10 >= expected * 9 && got * 10 <= expected * 11)); then
    e2e_pass "be$i got $got of $REQUESTS (weight ${weights[i - 1]}/6: expected $expected +-10%)"
  else
    e2e_fail "be$i got $got of $REQUESTS, expected $expected +-10%"
  fi
done

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

# --- 3. wrk for 5 s -------------------------------------------------------------------
e2e_log "wrk -t1 -c4 -d5s through the VIP"
wrk_out=$(ip netns exec "$TB_NS_CLIENT" timeout 30 wrk -t1 -c4 -d5s "http://$TB_VIP/" 2>&1 || true)
printf '%s\n' "$wrk_out" | sed 's/^/    /'
requests=$(awk '/requests in/ {print $1}' <<<"$wrk_out")
e2e_assert_ge "wrk completed requests" "${requests:-0}" 500
e2e_assert_not_contains "wrk: no socket errors" "$wrk_out" "Socket errors"
e2e_assert_not_contains "wrk: no non-2xx answers" "$wrk_out" "Non-2xx"

# --- 4. what the API reports --------------------------------------------------------------
e2e_ctl "$SOCK" status --json
status=$E2E_OUT
web=$(jq '[.services[] | select(.name == "web")][0]' <<<"$status")
e2e_assert_eq "web service forwards by dr" dr "$(jq -r '.method' <<<"$web")"
e2e_assert_ge "web service packets_in counted" "$(jq '.stats.packets_in' <<<"$web")" "$REQUESTS"
e2e_assert_eq "web service packets_out stays 0 (replies bypass the appliance)" 0 \
  "$(jq '.stats.packets_out' <<<"$web")"
e2e_assert_ge "web service connections counted" "$(jq '.stats.connections' <<<"$web")" "$REQUESTS"
e2e_assert_eq "no_backend drops" 0 "$(jq '.forwarding.drops.no_backend' <<<"$status")"
e2e_assert_eq "table_full drops" 0 "$(jq '.forwarding.drops.table_full' <<<"$status")"

# --- 5. clean stop -------------------------------------------------------------------------
rc=0
e2e_stop_sluiced "$PID" || rc=$?
e2e_assert_rc "sluiced exits 0 on SIGTERM" 0 "$rc"
e2e_finish
