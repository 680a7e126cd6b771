#!/usr/bin/env bash
# e2e metrics endpoint: sluiced with metrics_listen = "127.0.0.1:9468" in the
# lb1 namespace. After requests through the VIP, GET /metrics
#  1. answers 200 with the Prometheus text content type and passes
#     `promtool check metrics` (no lint problem either)
#  2. counts the requests on the web service, shows VI_1 as MASTER (2), every
#     backend up, the ports and the workers
#  3. carries no per-connection label (no client address anywhere)
#  4. keeps the connection alive; GET /other is 404, POST /metrics 405
#  5. a second sluiced whose metrics address is taken refuses to start and
#     says which address
# and sluiced stops cleanly.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=met
REQUESTS=20
LISTEN=127.0.0.1:9468
URL=http://$LISTEN/metrics

e2e_init
e2e_require_binaries
command -v promtool >/dev/null || e2e_fatal "promtool is missing (scripts/setup installs the prometheus package)"
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" e2emet "$SOCK"
sed -i -E "s/^metrics_listen = .*/metrics_listen = \"$LISTEN\"/" "$CONF"
e2e_assert_eq "metrics_listen set" 1 "$(grep -c "^metrics_listen = \"$LISTEN\"" "$CONF")"
e2e_check_config "$CONF"

e2e_testbed_up "$TB"
e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID
e2e_assert_contains "sluiced logs where the metrics are" "$(cat "$W/sluiced.log")" "metrics at $URL"
e2e_assert_not_contains "no 'not active' note for the metrics endpoint" "$(cat "$W/sluiced.log")" "metrics endpoint is not active"

e2e_check_first_request "$W/sluiced.log"
ok=0
for ((i = 0; i < REQUESTS; i++)); do
  if ip netns exec "$TB_NS_CLIENT" curl -s -m 3 -o /dev/null "http://$TB_VIP/"; then ok=$((ok + 1)); fi
done
e2e_assert_eq "$REQUESTS requests through the VIP answered" "$REQUESTS" "$ok"

metrics() { ip netns exec "$TB_NS_LB1" curl -s -m 5 "$@"; }
all_backends_up() {
  [[ $(metrics "$URL" | grep -cE '^sluice_backend_up\{service="web",.*\} 1$') == 3 ]]
}
# The checks run every delay_loop (3 s) from start-up.
e2e_wait_for 20 all_backends_up || e2e_fail "the three web backends are not all up within 20 s"

# --- 1. the page and promtool -------------------------------------------------------
metrics -D "$W/headers" -o "$W/metrics.txt" "$URL" || e2e_fatal "GET /metrics failed"
e2e_assert_contains "GET /metrics is 200" "$(head -n 1 "$W/headers")" " 200"
e2e_assert_contains "Prometheus text content type" "$(tr -d '\r' <"$W/headers")" \
  "Content-Type: text/plain; version=0.0.4; charset=utf-8"
rc=0
promtool check metrics <"$W/metrics.txt" >"$W/promtool.out" 2>&1 || rc=$?
e2e_assert_rc "promtool check metrics passes" 0 "$rc"
e2e_assert_eq "promtool reports nothing" "" "$(cat "$W/promtool.out")"

# --- 2. what it counts ----------------------------------------------------------------
M=$(cat "$W/metrics.txt")
value() { # ERE of the series -> its value (first match)
  grep -E "^$1 " <<<"$M" | head -n 1 | awk '{print $NF}'
}
conns=$(value 'sluice_virtual_server_connections_total\{service="web",vip="198\.18\.0\.100",port="80",protocol="tcp"\}')
e2e_assert_ge "web connections_total counts the requests" "${conns:-0}" "$REQUESTS"
pkts=$(value 'sluice_virtual_server_incoming_packets_total\{service="web",[^}]*\}')
e2e_assert_ge "web incoming packets counted" "${pkts:-0}" "$((REQUESTS * 3))"
e2e_assert_eq "VI_1 is MASTER (2)" 2 "$(value 'sluice_vrrp_state\{instance="VI_1",[^}]*\}')"
e2e_assert_ge "VI_1 sent adverts" "$(value 'sluice_vrrp_advertisements_sent_total\{instance="VI_1",[^}]*\}')" 1
e2e_assert_eq "VI_1 became master once" 1 "$(value 'sluice_vrrp_become_master_total\{instance="VI_1",[^}]*\}')"
e2e_assert_eq "three web backends up" 3 "$(grep -cE '^sluice_backend_up\{service="web",.*\} 1$' <<<"$M" || true)"
e2e_assert_eq "three web backends' checks up" 3 "$(grep -cE '^sluice_check_up\{service="web",.*check="http"\} 1$' <<<"$M" || true)"
e2e_assert_eq "weight of be3" 3 "$(value 'sluice_backend_weight\{service="web",backend="198\.18\.1\.13",port="80"\}')"
e2e_assert_eq "port front is up" 1 "$(value 'sluice_port_up\{port="front"\}')"
e2e_assert_ge "port front received packets" "$(value 'sluice_port_rx_packets_total\{port="front"\}')" "$REQUESTS"
e2e_assert_ge "a worker counted polls" "$(value 'sluice_worker_polls_total\{lcore="[0-9]+"\}')" 1
e2e_assert_contains "drops by reason" "$M" 'sluice_drops_total{reason="no_backend"} 0'
e2e_assert_eq "sluice_up" 1 "$(value sluice_up)"
e2e_assert_contains "build info" "$M" 'sluice_build_info{version="'
e2e_assert_contains "counters are typed" "$M" "# TYPE sluice_virtual_server_connections_total counter"

# --- 3. no per-connection labels ------------------------------------------------------------
e2e_assert_not_contains "no client address in any label" "$M" "\"$TB_CLIENT_IP\""
e2e_assert_eq "no connection-like label names" 0 \
  "$(grep -cE '[{,](client|src|source|dst|conn|connection|sport|dport)[a-z_]*=' <<<"$M" || true)"

# --- 4. keep-alive, 404, 405 --------------------------------------------------------------
out=$(metrics -o /dev/null -w '%{http_code} %{num_connects}\n' "$URL" -o /dev/null -w '%{http_code} %{num_connects}\n' \
  "http://$LISTEN/other" || true)
e2e_assert_eq "two requests on one kept-alive connection, /other is 404" "200 1
404 0" "$out"
e2e_assert_eq "POST /metrics is 405" 405 "$(metrics -o /dev/null -w '%{http_code}' -X POST "$URL" || true)"
e2e_assert_eq "still serving after those" 1 "$(metrics "$URL" | grep -c '^sluice_up 1$' || true)"

# --- 5. the address is taken: a second sluiced refuses to start ---------------------------
CONF2=$W/second.toml
e2e_make_config "$CONF2" e2emet2 "$W/second.sock" "$CONF"
rc=0
ip netns exec "$TB_NS_LB1" timeout 30 "$SLUICED" --config "$CONF2" >"$W/second.log" 2>&1 || rc=$?
e2e_assert_ne "a second sluiced with the same metrics address fails" 0 "$rc"
e2e_assert_contains "its error names the address" "$(cat "$W/second.log")" "cannot serve metrics on $LISTEN"
e2e_assert_eq "the first still serves" 1 "$(metrics "$URL" | grep -c '^sluice_up 1$' || true)"

# --- 6. clean stop ----------------------------------------------------------------------------
e2e_check_clean_stop "$PID"
e2e_finish
