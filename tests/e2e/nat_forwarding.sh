#!/usr/bin/env bash
# e2e NAT forwarding: a client in its namespace reaches three nginx backends
# through sluiced's VIP. 300 sequential curl requests are spread over the
# backends in proportion to their weights (wrr 1:2:3, each within 10%), a 10 s
# wrk run ends with zero socket errors and zero non-2xx answers, and a UDP
# service answers from the VIP through every backend. The status API counts it
# all, and sluiced stops cleanly. With --workers 2 the same runs on two
# polling workers: packets that arrive on the queue of a worker that does not
# own their connection are redirected to the owner, and nothing is lost.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WORKERS=1
REQUESTS=300
UDP_PORT=7000

while (($#)); do
  case $1 in
    --workers) WORKERS=$2; shift ;;
    --help)
      echo "Usage: SLUICED=... SLUICECTL=... tests/e2e/nat_forwarding.sh [--workers N]   (as root)"
      exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
TB=nat$WORKERS
NODE=e2enat$WORKERS
E2E_TEST=nat_forwarding_w$WORKERS
E2E_WORK=/run/sluice-e2e/$E2E_TEST

e2e_init
e2e_require_binaries
W=$E2E_WORK
LCORES=$(seq -s ', ' 1 "$WORKERS")
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" "$NODE" "$SOCK"
cat >>"$CONF" <<TOML

[[virtual_server]]
name = "echo-udp"
vip = "198.18.0.100"
port = $UDP_PORT
protocol = "udp"
lb_algo = "rr"
lb_kind = "nat"
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

# A UDP echo server on every backend that prefixes its answer with its name.
for i in 1 2 3; do
  ns_var="TB_NS_BE$i"
  e2e_spawn "${!ns_var}" 120 /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[2])))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(sys.argv[1].encode() + b":" + data, peer)
' "be$i" "$UDP_PORT"
done

e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID

# The first request also waits for ARP resolution of the backends (bounded).
first_ok() { ip netns exec "$TB_NS_CLIENT" curl -s -m 2 -o /dev/null "http://$TB_VIP/"; }
if e2e_wait_for 15 first_ok; then
  e2e_pass "first request through the VIP answered"
else
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

# --- 2. wrk for 10 s ---------------------------------------------------------------
e2e_log "wrk -t1 -c8 -d10s through the VIP"
wrk_out=$(ip netns exec "$TB_NS_CLIENT" timeout 40 wrk -t1 -c8 -d10s "http://$TB_VIP/" 2>&1 || true)
echo "$wrk_out" | sed 's/^/    /'
requests=$(awk '/requests in/ {print $1}' <<<"$wrk_out")
e2e_assert_ge "wrk completed requests" "${requests:-0}" 1000
e2e_assert_not_contains "wrk: no socket errors" "$wrk_out" "Socket errors"
e2e_assert_not_contains "wrk: no non-2xx answers" "$wrk_out" "Non-2xx"

# --- 3. UDP through the VIP ------------------------------------------------------------
udp_out=$(ip netns exec "$TB_NS_CLIENT" timeout 20 /usr/bin/python3 -c '
import socket, sys
seen = {}
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
echo "$udp_out" | sed 's/^/    /'
e2e_assert_not_contains "UDP: every datagram answered" "$udp_out" "timeout"
for i in 1 2 3; do
  answered=$(grep -c "^be$i $TB_VIP $UDP_PORT " <<<"$udp_out" || true)
  if ((WORKERS == 1)); then
    e2e_assert_eq "UDP: be$i answered 3 of 9 (rr)" 3 "$answered"
  else
    # Each worker keeps its own rr cursor (as each LVS-on-DPDK worker does), so
    # the split is only even per worker.
    e2e_assert_ge "UDP: be$i answered at least one of 9" "$answered" 1
  fi
done

# --- 4. what the API reports --------------------------------------------------------------
e2e_ctl "$SOCK" status --json
status=$E2E_OUT
web_conns=$(jq '[.services[] | select(.name == "web")][0].stats.connections' <<<"$status")
# wrk keeps its 8 connections open: it adds 8 connections, not one per request.
e2e_assert_ge "web service connections counted" "$web_conns" $((REQUESTS + 8))
e2e_assert_eq "no_backend drops" 0 "$(jq '.forwarding.drops.no_backend' <<<"$status")"
e2e_assert_eq "table_full drops" 0 "$(jq '.forwarding.drops.table_full' <<<"$status")"
# The first packets to a not-yet-resolved next hop wait for ARP instead of being lost.
e2e_assert_eq "no packet lost to neighbour resolution" 0 "$(jq '.forwarding.drops.unresolved_neighbour' <<<"$status")"
e2e_assert_eq "udp service connections" 9 "$(jq '[.services[] | select(.name == "echo-udp")][0].stats.connections' <<<"$status")"
if ((WORKERS > 1)); then
  e2e_assert_eq "workers running" "$WORKERS" "$(jq '.workers | length' <<<"$status")"
  e2e_assert_ge "packets redirected to the owning worker" "$(jq '.forwarding.redirected' <<<"$status")" 1
  e2e_assert_eq "redirect ring never full" 0 "$(jq '.forwarding.drops.redirect_full' <<<"$status")"
fi
be3_out=$(jq '[.services[] | select(.name == "web")][0].backends[2].stats.packets_out' <<<"$status")
e2e_assert_ge "replies from be3 counted" "$be3_out" 1
e2e_ctl "$SOCK" status
e2e_assert_contains "text status lists the service" "$E2E_OUT" "198.18.0.100:80"

# --- 5. drain by reload: weight 0 takes no new connections, an open one keeps working
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
held_line() { grep -q '^first ' "$W/hold.out"; }
e2e_wait_for 10 held_line || e2e_fatal "the held connection got no first answer: $(cat "$W/hold.out")"
held=$(awk '/^first / {print $2}' "$W/hold.out")
e2e_log "held connection is on $held; draining it by reload with weight 0"
addr="198.18.1.1${held#be}"
awk -v addr="$addr" '
  $0 ~ "address = \"" addr "\"" { mark = 1 }
  mark && /^[[:space:]]*weight[[:space:]]*=/ { sub(/=.*/, "= 0"); mark = 0 }
  { print }' "$CONF" >"$W/drain.toml" && cp "$W/drain.toml" "$CONF"
e2e_ctl "$SOCK" reload
e2e_assert_rc "sluicectl reload (weight 0 for $held)" 0 "$E2E_RC"
declare -A after=([be1]=0 [be2]=0 [be3]=0)
for ((i = 0; i < 30; i++)); do
  body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
  [[ -n $body ]] && after[$body]=$((${after[$body]:-0} + 1))
done
e2e_log "after drain: be1=${after[be1]} be2=${after[be2]} be3=${after[be3]}"
e2e_assert_eq "drained $held gets no new connections" 0 "${after[$held]}"
e2e_assert_eq "the others take all 30" 30 $((after[be1] + after[be2] + after[be3]))
touch "$W/flag"
wait "$hold_pid" || true
e2e_assert_eq "the open connection to $held still works after the drain" "second $held" \
  "$(grep '^second ' "$W/hold.out" || echo "second <none>")"

# An invalid file changes nothing: reload fails with the error, traffic goes on.
cp "$CONF" "$W/good.toml"
sed -i 's/^lb_algo = "wrr"/lb_algo = "fastest"/' "$CONF"
e2e_ctl "$SOCK" reload
e2e_assert_rc "reload of an invalid file fails" 1 "$E2E_RC"
e2e_assert_contains "the error names the key" "$E2E_STDERR" "lb_algo"
e2e_assert_contains "the error names the file" "$E2E_STDERR" "$CONF:"
body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
e2e_assert_ne "traffic still flows after the refused reload" "" "$body"
e2e_assert_ne "and still not to the drained backend" "$held" "$body"
cp "$W/good.toml" "$CONF"

# --- 6. clean stop -------------------------------------------------------------------------
rc=0
e2e_stop_sluiced "$PID" || rc=$?
e2e_assert_rc "sluiced exits 0 on SIGTERM" 0 "$rc"
e2e_finish
