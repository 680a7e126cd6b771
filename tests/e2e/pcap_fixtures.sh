#!/usr/bin/env bash
# shellcheck disable=SC2317  # _pcapfx_exit, rx_done and tx_done are called by trap and e2e_wait_for
# e2e packet fixtures: sluiced's two ports are DPDK net_pcap devices that read
# their input from a pcap at start and write what they transmit to another.
# For every case of tests/fixtures/make_fixtures.py (nat, dr, tun, arp_icmp)
# the test runs sluiced once over the case's front_in/back_in, waits until the
# workers have received every input frame and sluiced has sent every answer it
# should, stops it with SIGTERM (net_pcap flushes its output then) and compares
# front_out/back_out frame by frame with the expected pcaps
# (tests/fixtures/compare.py: byte-exact except sluiced's own ARP requests).
# It also checks the status counters the case names (expect.json).
#
# The pcaps are generated into $E2E_WORK on every run and not committed: the
# generator is the reviewable source of truth (pcaps are binary), it is
# deterministic, and a fixture cannot drift from the code that explains it.
#
# net_pcap touches no network interface, so no testbed: sluiced runs in a
# throwaway, empty network namespace only because e2e_start_sluiced runs it
# through `ip netns exec`; the namespace is deleted on exit.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PY=/usr/bin/python3 # has scapy; a pyenv `python3` may not
FIXTURES=$SLUICE_SOURCE_ROOT/tests/fixtures
NS=sluice-e2e-pcapfx
RX_WAIT_S=10        # all input frames received (normally well under 1 s)
TX_WAIT_S=5         # every expected answer sent (covers ARP resolution)
SETTLE_S=0.3        # then this long for anything unexpected to come out

e2e_init
e2e_require_binaries
W=$E2E_WORK

# Our namespace goes first on exit (sluiced may still be in it: the namespace
# then lives until lib.sh's teardown has stopped it), then lib.sh's teardown
# runs with the script's exit status.
_pcapfx_exit() {
  local rc=$?
  set +e
  ip netns delete "$NS" 2>/dev/null
  (exit "$rc")
  _e2e_teardown
}
trap _pcapfx_exit EXIT

"$PY" -c 'import scapy.all' 2>/dev/null || e2e_fatal "$PY cannot import scapy (run scripts/setup)"
ip netns delete "$NS" 2>/dev/null || true
ip netns add "$NS" || e2e_fatal "ip netns add $NS failed"

"$PY" "$FIXTURES/make_fixtures.py" "$W/fixtures" || e2e_fatal "make_fixtures.py failed"
mapfile -t CASES < <("$PY" "$FIXTURES/make_fixtures.py" --list)
((${#CASES[@]} > 0)) || e2e_fatal "make_fixtures.py --list printed no cases"

STATUS=
status_json() { # SOCK: sets STATUS; fails when sluicectl does
  STATUS=$("$SLUICECTL" --socket "$1" status --json 2>/dev/null) || return 1
}
rx_done() { # SOCK WANT
  status_json "$1" || return 1
  [[ $(jq '[.workers[].rx_packets] | add' <<<"$STATUS") -ge $2 ]]
}
tx_done() { # SOCK WANT: forwarded + ARP replies + echo replies
  status_json "$1" || return 1
  [[ $(jq '.forwarding | .forwarded + .arp_replies + .icmp_echo_replies' <<<"$STATUS") -ge $2 ]]
}

run_case() { # CASE
  local c=$1 d=$W/$1 fx=$W/fixtures/$1 conf sock inputs transmits pid rc path want got \
    front_mac back_mac failed_before=$E2E_FAILED
  mkdir -p "$d"
  sock=$d/sluiced.sock
  conf=$d/sluiced.toml
  sed -e "s|@WORK@|$d|g" \
    -e "s|@FRONT_IN@|$fx/front_in.pcap|g" -e "s|@FRONT_OUT@|$d/front_out.pcap|g" \
    -e "s|@BACK_IN@|$fx/back_in.pcap|g" -e "s|@BACK_OUT@|$d/back_out.pcap|g" \
    "$fx/config.toml" >"$conf"
  local check_rc=0
  "$SLUICED" --check "$conf" >"$d/check.out" 2>&1 || check_rc=$?
  if ((check_rc != 0 && check_rc != 4)); then # 4: valid with warnings
    e2e_fail "$c: generated config invalid: $(cat "$d/check.out")"
    return
  fi
  inputs=$(jq .input_frames "$fx/expect.json")
  transmits=$(jq .transmits "$fx/expect.json")

  e2e_start_sluiced "$NS" "$conf" "$d/sluiced.log"
  pid=$E2E_SLUICED_PID
  if e2e_wait_for "$RX_WAIT_S" rx_done "$sock" "$inputs"; then
    e2e_pass "$c: workers received all $inputs input frames"
  else
    e2e_fail "$c: workers received $(jq '[.workers[].rx_packets] | add' <<<"$STATUS") of $inputs input frames within ${RX_WAIT_S} s"
  fi
  e2e_wait_for "$TX_WAIT_S" tx_done "$sock" "$transmits" ||
    e2e_log "$c: fewer than $transmits answers after ${TX_WAIT_S} s (the comparison below shows which)"
  sleep "$SETTLE_S"
  status_json "$sock" || e2e_fail "$c: sluicectl status --json failed"
  printf '%s\n' "$STATUS" >"$d/status.json"
  front_mac=$(jq -r '.ports[] | select(.name == "front") | .mac' <<<"$STATUS")
  back_mac=$(jq -r '.ports[] | select(.name == "back") | .mac' <<<"$STATUS")

  rc=0
  e2e_stop_sluiced "$pid" || rc=$?
  e2e_assert_rc "$c: sluiced exits 0 on SIGTERM" 0 "$rc"

  # Status counters named by the case.
  while IFS=$'\t' read -r path want; do
    got=$(jq "$path" "$d/status.json" 2>/dev/null || echo "?")
    e2e_assert_eq "$c: status $path" "$want" "$got"
  done < <(jq -r '.counters | to_entries[] | "\(.key)\t\(.value)"' "$fx/expect.json")

  # The transmitted frames, port by port.
  local macs=(--sluiced-mac "$front_mac=$(jq -r .sluiced_macs.front "$fx/expect.json")"
    --sluiced-mac "$back_mac=$(jq -r .sluiced_macs.back "$fx/expect.json")")
  local side out
  for side in front back; do
    if [[ ! -f $d/${side}_out.pcap ]]; then
      e2e_fail "$c: $side: sluiced wrote no ${side}_out.pcap"
      continue
    fi
    if out=$("$PY" "$FIXTURES/compare.py" "${macs[@]}" --label "$c/$side" \
      "$d/${side}_out.pcap" "$fx/${side}_expected.pcap" 2>&1); then
      e2e_pass "$out"
    else
      e2e_fail "$out"
    fi
  done
  if ((E2E_FAILED > failed_before)); then
    e2e_log "$c: non-zero drops: $(jq -c '.forwarding.drops | with_entries(select(.value != 0))' "$d/status.json" 2>/dev/null)"
  fi
}

for c in "${CASES[@]}"; do
  e2e_log "case $c"
  run_case "$c"
done
e2e_finish
