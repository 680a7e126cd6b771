#!/usr/bin/env bash
# e2e health checks: sluiced checks its three nginx backends with HTTP GET
# through the host kernel and the back port's exception path (delay_loop 1 s,
# connect_timeout 1 s, retry 0, fall 1, rise 2).
#  1. every backend is checked and up
#  2. nginx on be2 stops while a curl loop runs against the VIP: after the
#     detection bound (fall x delay_loop + connect_timeout = 2 s) be2 is down,
#     takes no new connections and the loop sees no further failures; a
#     keep-alive connection opened before to another backend still works;
#     the log says why ("Removing service [198.18.1.12]:tcp:80 ... (check
#     failed: ...)")
#  3. nginx on be2 starts again: be2 is up after `rise` successes and takes
#     new connections again
#  4. every backend down: new connections go to the sorry server
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=hc
BOUND_S=2 # fall x delay_loop + connect_timeout
LOOP_MAX=900

e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" e2ehc "$SOCK"
# Checks leave through the host kernel: config.toml gives the back port its
# exception path.
e2e_assert_eq "the back port has an exception path" 1 "$(grep -c '^exception_path = true' "$CONF")"
sed -i -E 's/^delay_loop = .*/delay_loop = 1/; s/^( *)connect_timeout = .*/\1connect_timeout = 1\n\1retry = 0\n\1rise = 2/' "$CONF"
# One appliance: the VIP must not depend on the quorum here (step 4 takes it).
sed -i -E '/^track_service = /d' "$CONF"
# The sorry server (a second HTTP server on be3) goes before the real servers.
awk '/^  \[\[virtual_server.real_server\]\]/ && !done {
       print "  [virtual_server.sorry_server]"; print "  address = \"198.18.1.13\""; print "  port = 8080"; print ""; done = 1 }
     { print }' "$CONF" >"$CONF.tmp" && mv "$CONF.tmp" "$CONF"
# be2 reports its transitions through notify_up/notify_down (run as script_user).
NOTIFY_OUT=$W/notify_out
mkdir -p "$NOTIFY_OUT"
chmod 1777 "$NOTIFY_OUT"
chmod 755 "$W"
printf '#!/bin/sh\necho "$*" >>%s/be2.log\n' "$NOTIFY_OUT" >"$W/notify.sh"
chmod 755 "$W/notify.sh"
awk -v n="$W/notify.sh" '{ print }
  /^  address = "198.18.1.12"/ { print "  notify_up = \"" n " up\""; print "  notify_down = \"" n " down\"" }' \
  "$CONF" >"$CONF.tmp" && mv "$CONF.tmp" "$CONF"
e2e_check_config "$CONF"
e2e_assert_eq "three http checks configured" 3 "$(grep -c '^ *type = "http"' "$CONF")"

e2e_testbed_up "$TB"
STATE=/run/sluice-testbed/$TB

nginx_ctl() { # N stop|start
  local n=$1 ns dir
  ns=$(eval echo "\$TB_NS_BE$n")
  dir=$STATE/be$n
  if [[ $2 == stop ]]; then
    ip netns exec "$ns" /usr/sbin/nginx -p "$dir/" -c "$dir/nginx.conf" -s stop
    for ((i = 0; i < 50; i++)); do
      ip netns exec "$ns" curl -s -m 0.2 -o /dev/null "http://198.18.1.1$n/" || return 0
      sleep 0.1
    done
    e2e_fatal "nginx on be$n did not stop"
  else
    ip netns exec "$ns" /usr/sbin/nginx -e "$dir/error.log" -p "$dir/" -c "$dir/nginx.conf"
  fi
}

health_of() { # ADDRESS -> up|down
  "$SLUICECTL" --socket "$SOCK" checks --json |
    jq -r ".services[0].real_servers[] | select(.address == \"$1\" and .port == 80) | .health"
}
conns_of() { # ADDRESS -> connections created to it
  "$SLUICECTL" --socket "$SOCK" status --json |
    jq -r ".services[0].backends[] | select(.address == \"$1\" and .port == 80) | .stats.connections"
}
curl_vip() { ip netns exec "$TB_NS_CLIENT" curl -s -m 1 "http://$TB_VIP/" 2>/dev/null; }

e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID

# --- 1. every backend checked and up ------------------------------------------------
all_checked() {
  [[ $("$SLUICECTL" --socket "$SOCK" checks --json |
    jq '[.services[0].real_servers[] | select(.check == "http" and .attempts >= 1 and .health == "up")] | length') == 3 ]]
}
e2e_wait_for 10 all_checked || e2e_fail "the three http checks did not all run and pass"
e2e_ctl "$SOCK" checks
e2e_assert_contains "sluicectl checks shows the last result" "$E2E_OUT" "last: status 200"
e2e_assert_contains "first request works" "$(curl_vip)" "be"

# --- 2. be2 stops under load ----------------------------------------------------------
# A keep-alive connection to a backend other than be2, opened now, used again later.
ip netns exec "$TB_NS_CLIENT" timeout 60 /usr/bin/python3 - "$TB_VIP" "$W/keepalive" <<'EOF' &
import socket, sys, time, os
vip, base = sys.argv[1], sys.argv[2]
def get(s):
    s.sendall(b"GET / HTTP/1.1\r\nHost: vip\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
    while len(body) < length:
        body += s.recv(4096)
    return body.decode().strip()
for _ in range(20):
    s = socket.create_connection((vip, 80), timeout=3)
    first = get(s)
    if first != "be2":
        break
    s.close()
open(base + ".first", "w").write(first + "\n")
for _ in range(400):
    if os.path.exists(base + ".go"):
        break
    time.sleep(0.1)
try:
    open(base + ".second", "w").write(get(s) + "\n")
except Exception as e:
    open(base + ".second", "w").write("error: %s\n" % e)
EOF
E2E_HELPER_PIDS+=("$!")
e2e_wait_for 10 test -s "$W/keepalive.first" || e2e_fail "the keep-alive client did not connect"

# The curl loop: one line per request, "<epoch.ns> <body or FAIL>", bounded.
(
  for ((i = 0; i < LOOP_MAX; i++)); do
    body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 1 "http://$TB_VIP/" 2>/dev/null) || body=FAIL
    [[ -n $body ]] || body=FAIL
    echo "$(date +%s.%N) $body"
    [[ -e $W/loop.stop ]] && break
    sleep 0.02
  done
) >"$W/loop.log" &
LOOP=$!
E2E_HELPER_PIDS+=("$LOOP")
sleep 1
be2_before=$(conns_of 198.18.1.12)
t_stop=$(date +%s.%N)
nginx_ctl 2 stop
e2e_wait_for 10 bash -c "[[ \$(\"$SLUICECTL\" --socket $SOCK checks --json | jq -r '.services[0].real_servers[1].health') == down ]]" ||
  e2e_fail "be2 not marked down"
t_down=$(date +%s.%N)
detect=$(awk -v a="$t_stop" -v b="$t_down" 'BEGIN { printf "%.2f", b - a }')
e2e_log "be2 detected down $detect s after nginx stopped (bound $BOUND_S s)"
if awk -v d="$detect" -v b="$BOUND_S" 'BEGIN { exit !(d <= b + 0.5) }'; then
  e2e_pass "be2 down within the detection bound ($detect s <= $BOUND_S s + 0.5 s polling)"
else
  e2e_fail "be2 detected down after $detect s, bound $BOUND_S s"
fi
be2_at_down=$(conns_of 198.18.1.12)
sleep 3
touch "$W/loop.stop"
wait "$LOOP" 2>/dev/null || true
be2_after=$(conns_of 198.18.1.12)
e2e_assert_eq "be2 took no new connection after it was marked down" "$be2_at_down" "$be2_after"
e2e_assert_ge "be2 had connections before" "$be2_before" 1
late_failures=$(awk -v t="$t_down" '$1 > t && $2 == "FAIL"' "$W/loop.log" | wc -l)
late_ok=$(awk -v t="$t_down" '$1 > t && $2 ~ /^be[13]$/' "$W/loop.log" | wc -l)
early_failures=$(awk -v a="$t_stop" -v b="$t_down" '$1 > a && $1 <= b && $2 == "FAIL"' "$W/loop.log" | wc -l)
e2e_log "curl loop: $early_failures failures before detection, $late_failures after, $late_ok answers after"
e2e_assert_eq "no failure in the curl loop after detection" 0 "$late_failures"
e2e_assert_ge "the loop kept being answered by be1/be3" "$late_ok" 20
touch "$W/keepalive.go"
e2e_wait_for 10 test -s "$W/keepalive.second" || true
e2e_assert_eq "the keep-alive connection to $(cat "$W/keepalive.first") still works" \
  "$(cat "$W/keepalive.first")" "$(cat "$W/keepalive.second" 2>/dev/null)"
e2e_assert_contains "the log says why be2 was removed" "$(cat "$W/sluiced.log")" \
  "Removing service [198.18.1.12]:tcp:80 to VS [198.18.0.100]:tcp:80 (check failed:"

# --- 3. be2 comes back after rise successes ---------------------------------------------
nginx_ctl 2 start
e2e_wait_for 10 bash -c "[[ \$(\"$SLUICECTL\" --socket $SOCK checks --json | jq -r '.services[0].real_servers[1].health') == up ]]" ||
  e2e_fail "be2 did not come back"
e2e_assert_ge "be2 came back after rise = 2 successes" \
  "$("$SLUICECTL" --socket "$SOCK" checks --json | jq '.services[0].real_servers[1].attempts')" 2
e2e_assert_contains "the log says be2 was added back" "$(cat "$W/sluiced.log")" \
  "Adding service [198.18.1.12]:tcp:80 to VS [198.18.0.100]:tcp:80"
e2e_wait_for 5 grep -q up "$NOTIFY_OUT/be2.log" || true
e2e_assert_eq "notify_down then notify_up ran for be2" "down up" "$(tr '\n' ' ' <"$NOTIFY_OUT/be2.log" 2>/dev/null | sed 's/ $//')"
seen_be2=0
for ((i = 0; i < 30; i++)); do
  [[ $(curl_vip) == be2 ]] && { seen_be2=1; break; }
done
e2e_assert_eq "be2 takes new connections again" 1 "$seen_be2"

# --- 3b. runtime changes: drain, maint, set-weight, enable ---------------------------------
rs_json() { "$SLUICECTL" --socket "$SOCK" checks --json | jq -r ".services[0].real_servers[] | select(.address == \"$1\") | .$2"; }
e2e_ctl "$SOCK" drain web 198.18.1.11:80
e2e_assert_rc "sluicectl drain" 0 "$E2E_RC"
e2e_ctl "$SOCK" maint web 198.18.1.13
e2e_assert_rc "sluicectl maint (port defaults to the service's)" 0 "$E2E_RC"
e2e_ctl "$SOCK" set-weight web 198.18.1.12:80 5
e2e_assert_rc "sluicectl set-weight" 0 "$E2E_RC"
e2e_ctl "$SOCK" drain web 198.18.1.99:80
e2e_assert_rc "an unknown real server exits 6" 6 "$E2E_RC"
e2e_assert_contains "and says which" "$E2E_STDERR" "no real server 198.18.1.99:80"
e2e_ctl "$SOCK" drain nosuch 198.18.1.11
e2e_assert_rc "an unknown virtual server exits 6" 6 "$E2E_RC"
e2e_assert_eq "be1 shown as drained" drain "$(rs_json 198.18.1.11 override)"
e2e_assert_eq "be2 weight 5" 5 "$(rs_json 198.18.1.12 weight)"
attempts_be1=$(rs_json 198.18.1.11 attempts)
attempts_be3=$(rs_json 198.18.1.13 attempts)
others=0
for ((i = 0; i < 30; i++)); do
  [[ $(curl_vip) == be2 ]] || others=$((others + 1))
done
e2e_assert_eq "only be2 takes new connections (be1 drained, be3 in maintenance)" 0 "$others"
sleep 2.5
e2e_assert_ge "a drained real server is still checked" "$(rs_json 198.18.1.11 attempts)" $((attempts_be1 + 2))
e2e_assert_eq "a real server in maintenance is not checked" "$attempts_be3" "$(rs_json 198.18.1.13 attempts)"
e2e_ctl "$SOCK" checks
e2e_assert_contains "sluicectl checks shows the override" "$E2E_OUT" "[override: maint, until reload]"
for be in 198.18.1.11 198.18.1.12 198.18.1.13; do e2e_ctl "$SOCK" enable web "$be"; done
e2e_assert_eq "enable clears the override" null "$(rs_json 198.18.1.13 override)"
seen=""
for ((i = 0; i < 40; i++)); do seen+=" $(curl_vip)"; done
e2e_assert_contains "be1 back after enable" "$seen" "be1"
e2e_assert_contains "be3 back after enable" "$seen" "be3"

# --- 4. every backend down: the sorry server -------------------------------------------------
mkdir -p "$W/sorry"
echo sorry >"$W/sorry/index.html"
e2e_spawn "$TB_NS_BE3" 120 /usr/bin/python3 -u -m http.server 8080 --bind 198.18.1.13 --directory "$W/sorry"
sorry_up() { ip netns exec "$TB_NS_BE1" curl -s -m 0.5 "http://198.18.1.13:8080/" | grep -qx sorry; }
e2e_wait_for 10 sorry_up || e2e_fail "the sorry server (python http.server on be3:8080) did not start"
for n in 1 2 3; do nginx_ctl "$n" stop; done
e2e_wait_for 10 bash -c "[[ \$(\"$SLUICECTL\" --socket $SOCK checks --json | jq -r '.services[0].sorry_in_use') == true ]]" ||
  e2e_fail "the sorry server was not put in use"
got=""
for ((i = 0; i < 20; i++)); do
  got=$(curl_vip || true)
  [[ $got == sorry ]] && break
  sleep 0.2
done
e2e_assert_eq "with every backend down the sorry server answers" sorry "$got"
if [[ $got != sorry ]]; then
  "$SLUICECTL" --socket "$SOCK" status --json | jq -c '.forwarding, .services[0].backends'
  ip netns exec "$TB_NS_CLIENT" curl -sv -m 2 "http://$TB_VIP/" 2>&1 | tail -5
  ip netns exec "$TB_NS_BE1" curl -sv -m 2 "http://198.18.1.13:8080/" 2>&1 | tail -3
fi
e2e_assert_eq "quorum lost" false "$("$SLUICECTL" --socket "$SOCK" checks --json | jq '.services[0].quorum_up')"
for n in 1 2 3; do nginx_ctl "$n" start; done
e2e_wait_for 10 bash -c "[[ \$(\"$SLUICECTL\" --socket $SOCK checks --json | jq -r '.services[0].sorry_in_use') == false ]]" ||
  e2e_fail "the sorry server stayed in use after the backends came back"
e2e_assert_contains "backends answer again" "$(curl_vip)" "be"

e2e_check_clean_stop "$PID"
e2e_finish
