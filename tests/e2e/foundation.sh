#!/usr/bin/env bash
# shellcheck disable=SC2317  # helpers below are called through e2e_wait_for
# e2e foundation: sluiced starts on a net_af_packet port in a namespace,
# answers sluicectl, counts packets sent to it, stops cleanly on SIGTERM and
# leaves nothing behind; a bad config is rejected before any port is touched;
# sluicectl without a daemon says so with exit code 3.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=fnd                 # testbed name (<= 6 characters)
NODE=e2efnd            # node_name: DPDK prefix is sluice-$NODE-<pid>
PACKETS=50             # UDP packets sent from the client

if [[ ${1:-} == --help ]]; then
  echo "Usage: SLUICED=... SLUICECTL=... tests/e2e/foundation.sh   (as root)"
  exit 0
fi

e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
BAD=$W/bad.toml
DPDK_RUN=/var/run/dpdk

# --- 1. sluicectl with no daemon ------------------------------------------------
e2e_log "sluicectl with no daemon"
e2e_ctl "$W/nobody-here.sock" status
e2e_assert_rc "sluicectl status without a daemon" 3 "$E2E_RC"
msg="$E2E_OUT $E2E_STDERR"
e2e_assert_contains "sluicectl names the socket it tried" "$msg" "$W/nobody-here.sock"
if grep -qiE 'not running|no such|refused|is sluiced|start' <<<"$msg"; then
  e2e_pass "sluicectl says the daemon is not running"
else
  e2e_fail "sluicectl message not helpful: $msg"
fi

# --- 2. config checks, before any namespace exists --------------------------------
e2e_make_config "$CONF" "$NODE" "$SOCK"
set +e
chk_err=$("$SLUICED" --check "$CONF" 2>&1)
chk_rc=$?
set -e
e2e_assert_rc "sluiced --check on the test config" 0 "$chk_rc"
[[ $chk_rc -eq 0 ]] || echo "$chk_err"

# A bad config: an unknown key in [global].
cp "$CONF" "$BAD"
gl=$(e2e_line_of "$BAD" '^[[:space:]]*\[global\]')
sed -i "${gl}a bogus_key_e2e = 1" "$BAD"
bad_line=$((gl + 1))
set +e
chk_err=$("$SLUICED" --check "$BAD" 2>&1 >/dev/null)
chk_rc=$?
set -e
e2e_assert_rc "sluiced --check on a bad config" 1 "$chk_rc"
e2e_assert_contains "--check error has FILE:LINE" "$chk_err" "$BAD:$bad_line:"
e2e_assert_contains "--check error names the key" "$chk_err" "bogus_key_e2e"

set +e
"$SLUICED" --no-such-option >/dev/null 2>&1
usage_rc=$?
set -e
e2e_assert_rc "sluiced with an unknown option (usage error)" 2 "$usage_rc"

# --- 3. testbed; a bad config never reaches the ports -----------------------------
e2e_testbed_up "$TB"

ls -d "$DPDK_RUN"/sluice-"$NODE"-* >/dev/null 2>&1 && rm -rf "$DPDK_RUN"/sluice-"$NODE"-*
start=$(date +%s%N)
set +e
timeout 20 ip netns exec "$TB_NS_LB1" "$SLUICED" --config "$BAD" >"$W/bad.out" 2>"$W/bad.err"
bad_rc=$?
set -e
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
bad_err=$(<"$W/bad.err")
if ((bad_rc != 0 && bad_rc != 124)); then
  e2e_pass "sluiced --config BAD exits non-zero (exit $bad_rc)"
else
  e2e_fail "sluiced --config BAD: exit $bad_rc (124 = still running after 20 s)"
fi
e2e_assert_contains "bad config error has FILE:LINE" "$bad_err" "$BAD:$bad_line:"
e2e_assert_contains "bad config error names the key" "$bad_err" "bogus_key_e2e"
if ((elapsed_ms < 5000)); then
  e2e_pass "bad config rejected quickly (${elapsed_ms} ms)"
else
  e2e_fail "bad config took ${elapsed_ms} ms to be rejected"
fi
if compgen -G "$DPDK_RUN/sluice-$NODE-*" >/dev/null || compgen -G "/dev/hugepages/sluice-$NODE-*" >/dev/null; then
  e2e_fail "bad config got as far as the EAL: $(find "$DPDK_RUN" /dev/hugepages -maxdepth 1 -name "sluice-$NODE-*" 2>/dev/null | tr '\n' ' ')"
else
  e2e_pass "bad config left no DPDK runtime dir or hugepage files"
fi
e2e_assert_not_contains "bad config: no EAL output" "$bad_err$(<"$W/bad.out")" "EAL:"

# --- 4. sluiced up in lb1 -----------------------------------------------------------
e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID
e2e_pass "sluiced up, API socket present"

e2e_ctl "$SOCK" status --json
status=$E2E_OUT
e2e_assert_rc "sluicectl status --json" 0 "$E2E_RC"
if ! jq -e . >/dev/null 2>&1 <<<"$status"; then
  e2e_fatal "status --json is not JSON: $status $E2E_STDERR"
fi
e2e_assert_eq "api_version" 1 "$(jq -r .api_version <<<"$status")"
e2e_assert_eq "node_name" "$NODE" "$(jq -r .node_name <<<"$status")"
e2e_assert_eq "pid is the sluiced we started" "$PID" "$(jq -r .pid <<<"$status")"
e2e_assert_eq "config_file" "$(readlink -f "$CONF")" "$(jq -r .config_file <<<"$status")"
front=$(jq -c '[.ports[] | select(.device | test("iface=front0(,|$)"))][0]' <<<"$status")
[[ $front != null ]] || e2e_fatal "no port on iface=front0 in status: $status"
FRONT_ID=$(jq -r .id <<<"$front")
e2e_assert_eq "front port link up" true "$(jq -r .link_up <<<"$front")"
e2e_assert_eq "front port MAC is front0's" "$TB_LB1_FRONT_MAC" \
  "$(jq -r '.mac | ascii_downcase' <<<"$front")"
nworkers=$(jq '.workers | length' <<<"$status")
e2e_assert_ge "at least one worker" "$nworkers" 1
e2e_ctl "$SOCK" status
e2e_assert_rc "sluicectl status (text)" 0 "$E2E_RC"
e2e_assert_contains "text status names the node" "$E2E_OUT" "$NODE"

# --- 5. traffic from the client moves the counters --------------------------------
front_rx() {
  e2e_ctl "$SOCK" status --json
  jq -r --argjson id "$FRONT_ID" '.ports[] | select(.id == $id) | .stats.ipackets' \
    <<<"$E2E_OUT" 2>/dev/null || echo "?"
}
workers_rx() {
  e2e_ctl "$SOCK" status --json
  jq -r '[.workers[].rx_packets] | add' <<<"$E2E_OUT" 2>/dev/null || echo "?"
}
rx0=$(front_rx)
w0=$(workers_rx)
# The appliance address is answered by sluiced, not the kernel: pin the
# neighbour entry so the client sends without ARP.
ip -n "$TB_NS_CLIENT" neigh replace "$TB_LB1_FRONT_IP" lladdr "$TB_LB1_FRONT_MAC" \
  dev "$TB_CLIENT_IF" nud permanent
e2e_log "sending $PACKETS UDP packets $TB_CLIENT_IP -> $TB_LB1_FRONT_IP:9"
# shellcheck disable=SC2016  # expanded by the inner bash
timeout 10 ip netns exec "$TB_NS_CLIENT" bash -c '
  for ((i = 0; i < $1; i++)); do echo "e2e $i" >/dev/udp/$2/9 || true; done' _ \
  "$PACKETS" "$TB_LB1_FRONT_IP" 2>/dev/null || true
rx_grew() { local r; r=$(front_rx); [[ $r =~ ^[0-9]+$ ]] && ((r - rx0 >= PACKETS)); }
w_grew() { local r; r=$(workers_rx); [[ $r =~ ^[0-9]+$ ]] && ((r - w0 >= PACKETS)); }
e2e_wait_for 5 rx_grew || true
e2e_wait_for 5 w_grew || true
rx1=$(front_rx)
w1=$(workers_rx)
delta() { if [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]]; then echo $(($2 - $1)); else echo "?($1 -> $2)"; fi; }
e2e_assert_ge "front ipackets grew by >= $PACKETS" "$(delta "$rx0" "$rx1")" "$PACKETS"
e2e_assert_ge "workers' rx_packets grew by >= $PACKETS" "$(delta "$w0" "$w1")" "$PACKETS"
if ! _e2e_alive "$PID"; then
  e2e_fatal "sluiced died under traffic; log tail: $(tail -n 20 "$W/sluiced.log")"
fi

# --- 6. SIGTERM: clean exit, nothing left ------------------------------------------
prefix="sluice-$NODE-$PID"
e2e_stop_sluiced "$PID" && rc=0 || rc=$?
e2e_assert_rc "sluiced exits 0 on SIGTERM" 0 "$rc"
[[ $rc -eq 0 ]] || tail -n 30 "$W/sluiced.log"
left=$(find /dev/hugepages -maxdepth 1 -name "${prefix}map_*" 2>/dev/null | tr '\n' ' ')
e2e_assert_eq "no hugepage files with prefix $prefix" "" "$left"
if [[ -e $DPDK_RUN/$prefix ]]; then
  e2e_fail "DPDK runtime dir left behind: $DPDK_RUN/$prefix ($(find "$DPDK_RUN/$prefix" | tr '\n' ' '))"
else
  e2e_pass "no DPDK runtime dir $DPDK_RUN/$prefix left"
fi
if [[ -S $SOCK ]]; then
  e2e_fail "API socket $SOCK still exists after exit"
else
  e2e_pass "API socket removed on exit"
fi
e2e_ctl "$SOCK" status
e2e_assert_rc "sluicectl after the daemon stopped" 3 "$E2E_RC"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/sluiced.log"; then
  e2e_fail "sanitizer report in the sluiced log: $(grep -E 'Sanitizer|runtime error:' "$W/sluiced.log" | head -n 5)"
else
  e2e_pass "no sanitizer reports in the sluiced log"
fi

e2e_finish
