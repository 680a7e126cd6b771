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

REQUESTS=300
UDP_PORT=7000

e2e_parse_workers_option "$@"  # sets WORKERS, E2E_TEST=nat_forwarding_wN
TB=nat$WORKERS
NODE=e2enat$WORKERS

e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" "$NODE" "$SOCK"
e2e_add_udp_service "$CONF" "$UDP_PORT" nat
e2e_set_workers "$CONF" "$WORKERS"
e2e_check_config "$CONF"

e2e_testbed_up "$TB"

# NAT: the backends answer to sluiced, which rewrites the source back to the VIP.
e2e_start_udp_echo "$UDP_PORT" 0.0.0.0

e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID

e2e_check_first_request "$W/sluiced.log"

# --- 1. weighted spread over 300 requests ----------------------------------------
e2e_check_weighted_spread "$REQUESTS"

# --- 2. wrk for 10 s ---------------------------------------------------------------
e2e_check_wrk

# --- 3. UDP through the VIP ------------------------------------------------------------
e2e_check_udp "$UDP_PORT" "$WORKERS"

# --- 4. what the API reports --------------------------------------------------------------
e2e_check_status "$SOCK" "$REQUESTS" "$WORKERS"
if ((WORKERS > 1)); then
  e2e_assert_ge "packets redirected to the owning worker" "$(jq '.forwarding.redirected' <<<"$E2E_STATUS")" 1
fi
be3_out=$(jq '[.services[] | select(.name == "web")][0].backends[2].stats.packets_out' <<<"$E2E_STATUS")
e2e_assert_ge "replies from be3 counted" "$be3_out" 1

# --- 5. drain by reload: weight 0 takes no new connections, an open one keeps working
e2e_check_drain_by_reload "$SOCK" "$CONF"

# --- 6. clean stop -------------------------------------------------------------------------
e2e_check_clean_stop "$PID"
e2e_finish
