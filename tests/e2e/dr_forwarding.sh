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

WORKERS=1
REQUESTS=300
UDP_PORT=7000

while (($#)); do
  case $1 in
    --workers)
      [[ ${2:-} =~ ^[1-9]$ ]] || { echo "--workers needs a number 1-9" >&2; exit 2; }
      WORKERS=$2; shift ;;
    --help)
      echo "Usage: SLUICED=... SLUICECTL=... tests/e2e/dr_forwarding.sh [--workers N]   (as root)"
      exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
TB=dr$WORKERS
NODE=e2edr$WORKERS
E2E_TEST=dr_forwarding_w$WORKERS
E2E_WORK=/run/sluice-e2e/$E2E_TEST

e2e_init
e2e_require_binaries
W=$E2E_WORK
LCORES=$(seq -s ', ' 1 "$WORKERS")
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
cat >>"$CONF" <<TOML

[[virtual_server]]
name = "echo-udp"
vip = "198.18.0.100"
port = $UDP_PORT
protocol = "udp"
lb_algo = "rr"
lb_kind = "dr"
interface = "front"
TOML
for be in 11 12 13; do
  printf '  [[virtual_server.real_server]]\n  address = "198.18.1.%s"\n  port = %s\n' "$be" "$UDP_PORT" >>"$CONF"
done
sed -i -E "s/^lcores = \[[^]]*\]/lcores = [$LCORES]/" "$CONF"
grep -q "^lcores = \[$LCORES\]" "$CONF" || e2e_fatal "could not set lcores in $CONF"
sed -i -E "s/^mbufs = [0-9]+/mbufs = 16383/" "$CONF"  # rings for two workers need more
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

# A UDP echo server on every backend that prefixes its answer with its name.
# It binds the VIP (held on lo): a socket bound to 0.0.0.0 would answer from
# eth0's own address, as the route to the client picks it. Its answers go
# straight back to the client through the router.
for i in 1 2 3; do
  ns_var="TB_NS_BE$i"
  e2e_spawn "${!ns_var}" 120 /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[3], int(sys.argv[2])))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(sys.argv[1].encode() + b":" + data, peer)
' "be$i" "$UDP_PORT" "$TB_VIP"
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

# --- 3. wrk for 10 s ------------------------------------------------------------------
e2e_log "wrk -t1 -c8 -d10s through the VIP"
wrk_out=$(ip netns exec "$TB_NS_CLIENT" timeout 40 wrk -t1 -c8 -d10s "http://$TB_VIP/" 2>&1 || true)
printf '%s\n' "$wrk_out" | sed 's/^/    /'
requests=$(awk '/requests in/ {print $1}' <<<"$wrk_out")
e2e_assert_ge "wrk completed requests" "${requests:-0}" 1000
e2e_assert_not_contains "wrk: no socket errors" "$wrk_out" "Socket errors"
e2e_assert_not_contains "wrk: no non-2xx answers" "$wrk_out" "Non-2xx"

# --- 4. UDP DR through the VIP ---------------------------------------------------------
udp_out=$(ip netns exec "$TB_NS_CLIENT" timeout 20 /usr/bin/python3 -c '
import socket, sys
for i in range(9):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(b"ping%d" % i, (sys.argv[1], int(sys.argv[2])))
    try:
        data, peer = s.recvfrom(2048)
    except socket.timeout:
        print("timeout"); continue
    name = data.split(b":")[0].decode()
    print(name, peer[0], peer[1], data.decode())
' "$TB_VIP" "$UDP_PORT" 2>&1 || true)
printf '%s\n' "$udp_out" | sed 's/^/    /'
e2e_assert_not_contains "UDP: every datagram answered" "$udp_out" "timeout"
e2e_assert_eq "UDP: all 9 answers come from the VIP:$UDP_PORT" 9 \
  "$(grep -cE "^be[123] $TB_VIP $UDP_PORT " <<<"$udp_out" || true)"
for i in 1 2 3; do
  answered=$(grep -c "^be$i $TB_VIP $UDP_PORT " <<<"$udp_out" || true)
  if ((WORKERS == 1)); then
    e2e_assert_eq "UDP: be$i answered 3 of 9 (rr)" 3 "$answered"
  else
    # Each worker keeps its own rr cursor, so the split is only even per worker.
    e2e_assert_ge "UDP: be$i answered at least one of 9" "$answered" 1
  fi
done

# --- 5. what the API reports --------------------------------------------------------------
e2e_ctl "$SOCK" status --json
status=$E2E_OUT
web=$(jq '[.services[] | select(.name == "web")][0]' <<<"$status")
e2e_assert_eq "web service forwards by dr" dr "$(jq -r '.method' <<<"$web")"
e2e_assert_ge "web service packets_in counted" "$(jq '.stats.packets_in' <<<"$web")" "$REQUESTS"
e2e_assert_eq "web service packets_out stays 0 (replies bypass the appliance)" 0 \
  "$(jq '.stats.packets_out' <<<"$web")"
# wrk keeps its 8 connections open: it adds 8 connections, not one per request.
e2e_assert_ge "web service connections counted" "$(jq '.stats.connections' <<<"$web")" $((REQUESTS + 8))
e2e_assert_eq "no_backend drops" 0 "$(jq '.forwarding.drops.no_backend' <<<"$status")"
e2e_assert_eq "table_full drops" 0 "$(jq '.forwarding.drops.table_full' <<<"$status")"
e2e_assert_eq "no packet lost to neighbour resolution" 0 "$(jq '.forwarding.drops.unresolved_neighbour' <<<"$status")"
udp=$(jq '[.services[] | select(.name == "echo-udp")][0]' <<<"$status")
e2e_assert_eq "udp service forwards by dr" dr "$(jq -r '.method' <<<"$udp")"
e2e_assert_eq "udp service connections" 9 "$(jq '.stats.connections' <<<"$udp")"
e2e_assert_ge "udp service packets_in counted" "$(jq '.stats.packets_in' <<<"$udp")" 9
e2e_assert_eq "udp service packets_out stays 0 (replies bypass the appliance)" 0 \
  "$(jq '.stats.packets_out' <<<"$udp")"
if ((WORKERS > 1)); then
  e2e_assert_eq "workers running" "$WORKERS" "$(jq '.workers | length' <<<"$status")"
  e2e_assert_eq "redirect ring never full" 0 "$(jq '.forwarding.drops.redirect_full' <<<"$status")"
fi
e2e_ctl "$SOCK" status
e2e_assert_contains "text status lists the service" "$E2E_OUT" "198.18.0.100:80"

# --- 6. drain by reload: weight 0 takes no new connections, an open one keeps working
cat >"$W/hold.py" <<'PY'
import os, socket, sys, time
vip, flag = sys.argv[1], sys.argv[2]
def ask(s):
    s.sendall(b"GET / HTTP/1.1\r\nHost: vip\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"\n"):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n\r\n", 1)[1].strip().decode()
s = socket.create_connection((vip, 80), timeout=5)
print("first", ask(s), flush=True)
deadline = time.time() + 30
while not os.path.exists(flag) and time.time() < deadline:
    time.sleep(0.1)
print("second", ask(s), flush=True)
PY
rm -f "$W/flag"
ip netns exec "$TB_NS_CLIENT" timeout 60 /usr/bin/python3 "$W/hold.py" "$TB_VIP" "$W/flag" >"$W/hold.out" 2>&1 &
hold_pid=$!
E2E_HELPER_PIDS+=("$hold_pid")
# shellcheck disable=SC2317  # called through e2e_wait_for
held_line() { grep -q '^first ' "$W/hold.out"; }
e2e_wait_for 10 held_line || e2e_fatal "the held connection got no first answer: $(cat "$W/hold.out")"
held=$(awk '/^first / {print $2}' "$W/hold.out")
[[ $held =~ ^be[123]$ ]] || e2e_fatal "the held connection answered '$held', not a backend name"
e2e_log "held connection is on $held; draining it by reload with weight 0"
addr="198.18.1.1${held#be}"
# Only the web service's real_server has a weight line; the UDP ones do not.
awk -v addr="$addr" '
  $0 ~ "address = \"" addr "\"" { mark = 1 }
  mark && /^[[:space:]]*weight[[:space:]]*=/ { sub(/=.*/, "= 0"); mark = 0 }
  { print }' "$CONF" >"$W/drain.toml" && cp "$W/drain.toml" "$CONF"
e2e_assert_eq "config now has one weight = 0 line" 1 "$(grep -c '^[[:space:]]*weight = 0$' "$CONF" || true)"
e2e_ctl "$SOCK" reload
e2e_assert_rc "sluicectl reload (weight 0 for $held)" 0 "$E2E_RC"
declare -A after=([be1]=0 [be2]=0 [be3]=0)
other=0
for ((i = 0; i < 30; i++)); do
  body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
  case $body in
    be1 | be2 | be3) after[$body]=$((after[$body] + 1)) ;;
    *) other=$((other + 1)) ;;
  esac
done
e2e_log "after drain: be1=${after[be1]} be2=${after[be2]} be3=${after[be3]} failures=$other"
e2e_assert_eq "drained $held gets no new connections" 0 "${after[$held]}"
e2e_assert_eq "the others take all 30" 30 $((after[be1] + after[be2] + after[be3]))
touch "$W/flag"
wait "$hold_pid" || true
e2e_assert_eq "the open connection to $held still works after the drain" "second $held" \
  "$(grep '^second ' "$W/hold.out" || echo "second <none>")"

# An invalid file changes nothing: reload fails with the error, traffic goes on.
cp "$CONF" "$W/good.toml"
sed -i 's/^lb_algo = "wrr"/lb_algo = "fastest"/' "$CONF"
grep -q '^lb_algo = "fastest"' "$CONF" || e2e_fatal "could not break lb_algo in $CONF"
e2e_ctl "$SOCK" reload
e2e_assert_rc "reload of an invalid file fails" 1 "$E2E_RC"
e2e_assert_contains "the error names the key" "$E2E_STDERR" "lb_algo"
e2e_assert_contains "the error names the file" "$E2E_STDERR" "$CONF:"
body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
e2e_assert_ne "traffic still flows after the refused reload" "" "$body"
e2e_assert_ne "and still not to the drained backend" "$held" "$body"
e2e_ctl "$SOCK" status --json
e2e_assert_eq "web service still forwards by dr after the refused reload" dr \
  "$(jq -r '[.services[] | select(.name == "web")][0].method' <<<"$E2E_OUT")"
e2e_assert_eq "the drained backend still has weight 0 after the refused reload" 0 \
  "$(jq --arg a "$addr" '[.services[] | select(.name == "web")][0].backends[] | select(.address == $a) | .weight' <<<"$E2E_OUT")"
cp "$W/good.toml" "$CONF"

# --- 7. clean stop -------------------------------------------------------------------------
rc=0
e2e_stop_sluiced "$PID" || rc=$?
e2e_assert_rc "sluiced exits 0 on SIGTERM" 0 "$rc"
e2e_finish
