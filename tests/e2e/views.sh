#!/usr/bin/env bash
# e2e operator views: after curl requests and a 3 s wrk through the VIP,
# `sluicectl list` shows the web service like ipvsadm -Ln with its three real
# servers, their weights and health; `list --stats` counts the connections,
# `list --rate` shows connections/s during wrk; `conns` lists connections like
# ipvsadm -Lnc with their owning worker, bounded by --limit and filtered by
# client; `ports` shows both ports with imissed; `workers` a busy share.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REQUESTS=20
TB=vw

e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" e2evw "$SOCK"
e2e_check_config "$CONF"

e2e_testbed_up "$TB"
e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID
e2e_check_first_request "$W/sluiced.log"

ok=0
for ((i = 0; i < REQUESTS; i++)); do
  body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
  [[ $body =~ ^be[123]$ ]] && ok=$((ok + 1))
done
e2e_assert_eq "$REQUESTS curl requests answered" "$REQUESTS" "$ok"

# --- list ---------------------------------------------------------------------------
e2e_ctl "$SOCK" list --json
e2e_assert_rc "sluicectl list --json" 0 "$E2E_RC"
web=$(jq -c '.services[] | select(.name == "web")' <<<"$E2E_OUT")
e2e_assert_eq "web has three real servers" 3 "$(jq '.real_servers | length' <<<"$web")"
e2e_assert_eq "weights as published" "1 2 3" "$(jq -r '[.real_servers[].weight] | map(tostring) | join(" ")' <<<"$web")"
e2e_assert_eq "every real server is up" "up up up" "$(jq -r '[.real_servers[].health] | join(" ")' <<<"$web")"
e2e_assert_eq "scheduler" wrr "$(jq -r '.scheduler' <<<"$web")"
e2e_ctl "$SOCK" list
e2e_assert_contains "text list: the service line" "$E2E_OUT" "TCP  198.18.0.100:80 wrr"
e2e_assert_contains "text list: a real server line" "$E2E_OUT" "  -> 198.18.1.13:80"
e2e_assert_contains "text list: health column" "$E2E_OUT" "up     serving"

# --- list --stats ---------------------------------------------------------------------
e2e_ctl "$SOCK" list --stats --json
e2e_assert_ge "list --stats: connections >= requests" \
  "$(jq '.services[] | select(.name == "web") | .stats.connections' <<<"$E2E_OUT")" "$REQUESTS"
e2e_assert_ge "list --stats: packets in counted" \
  "$(jq '.services[] | select(.name == "web") | .stats.packets_in' <<<"$E2E_OUT")" "$REQUESTS"
e2e_ctl "$SOCK" list --stats
e2e_assert_contains "text list --stats header" "$E2E_OUT" "InBytes"

# --- list --rate during wrk -------------------------------------------------------------
e2e_log "wrk -t1 -c8 -d3s through the VIP"
ip netns exec "$TB_NS_CLIENT" timeout 20 wrk -t1 -c8 -d3s "http://$TB_VIP/" >"$W/wrk.out" 2>&1 &
wrk_pid=$!
E2E_HELPER_PIDS+=("$wrk_pid")
sleep 2.5
e2e_ctl "$SOCK" list --rate --json
rate=$E2E_OUT
e2e_ctl "$SOCK" workers --json
workers_during=$E2E_OUT
wait "$wrk_pid" || true
sed 's/^/    /' "$W/wrk.out"
cps=$(jq '.services[] | select(.name == "web") | .rate.connections_per_s' <<<"$rate")
pps=$(jq '.services[] | select(.name == "web") | .rate.packets_in_per_s' <<<"$rate")
e2e_assert_eq "list --rate: positive connections/s during wrk ($cps)" true "$(jq -n "$cps > 0")"
e2e_assert_eq "list --rate: positive packets/s in during wrk ($pps)" true "$(jq -n "$pps > 0")"
e2e_ctl "$SOCK" list --rate
e2e_assert_contains "text list --rate header" "$E2E_OUT" "CPS"

# --- conns ------------------------------------------------------------------------------
e2e_ctl "$SOCK" conns --limit 5 --json
e2e_assert_rc "sluicectl conns --limit 5${E2E_STDERR:+ ($E2E_STDERR)}" 0 "$E2E_RC"
e2e_assert_ge "conns --limit 5: 5 rows" "$(jq '.connections | length' <<<"$E2E_OUT")" 5
e2e_assert_eq "conns --limit 5: at most 5 rows" true "$(jq '.connections | length <= 5' <<<"$E2E_OUT")"
e2e_assert_eq "conns --limit 5: truncated" true "$(jq '.truncated' <<<"$E2E_OUT")"
e2e_assert_eq "conns: every worker answered" 0 "$(jq '.workers_not_answering | length' <<<"$E2E_OUT")"
e2e_assert_eq "conns: rows name their worker's lcore" 1 "$(jq '.connections[0].worker_lcore' <<<"$E2E_OUT")"
e2e_ctl "$SOCK" conns --limit 5
e2e_assert_contains "text conns: header" "$E2E_OUT" "pro expire state"
e2e_assert_contains "text conns: truncated" "$E2E_OUT" "truncated"
e2e_assert_eq "text conns: 5 rows" 5 "$(grep -c ' 198.18.0.100:80 ' <<<"$E2E_OUT" || true)"

e2e_ctl "$SOCK" conns --client 198.18.0.10 --limit 10000 --json
e2e_assert_ge "conns --client 198.18.0.10: its connections" "$(jq '.connections | length' <<<"$E2E_OUT")" "$REQUESTS"
e2e_assert_eq "conns --client: only that client" 0 \
  "$(jq '[.connections[] | select(.client | startswith("198.18.0.10:") | not)] | length' <<<"$E2E_OUT")"
e2e_ctl "$SOCK" conns --client 198.18.0.99 --json
e2e_assert_eq "conns --client of another address: none" 0 "$(jq '.connections | length' <<<"$E2E_OUT")"
e2e_ctl "$SOCK" conns --service web --limit 3 --json
e2e_assert_eq "conns --service web: its virtual address" "198.18.0.100:80" "$(jq -r '.connections[0].virtual' <<<"$E2E_OUT")"
e2e_ctl "$SOCK" conns --service nosuch
e2e_assert_rc "conns --service of an unknown service" 6 "$E2E_RC"

# --- ports and workers ------------------------------------------------------------------
e2e_ctl "$SOCK" ports --json
e2e_assert_eq "ports: both" 2 "$(jq 'length' <<<"$E2E_OUT")"
e2e_assert_eq "ports: imissed reported for both" 2 "$(jq '[.[] | select(.stats.imissed != null)] | length' <<<"$E2E_OUT")"
e2e_ctl "$SOCK" ports
e2e_assert_contains "text ports: imissed column" "$E2E_OUT" "imissed"
e2e_assert_contains "text ports: front" "$E2E_OUT" "front"
e2e_assert_contains "text ports: back" "$E2E_OUT" "back"

busy=$(jq '.[0].busy_share' <<<"$workers_during")
e2e_assert_eq "workers: a busy share during wrk ($busy)" true "$(jq -n "$busy > 0 and $busy <= 1")"
e2e_assert_eq "workers: packets/s during wrk" true "$(jq '.[0].rx_packets_per_s > 0' <<<"$workers_during")"
e2e_ctl "$SOCK" workers
e2e_assert_contains "text workers: busy column" "$E2E_OUT" "busy"
e2e_assert_contains "text workers: a share in percent" "$E2E_OUT" "%"

e2e_check_clean_stop "$PID"
e2e_finish
