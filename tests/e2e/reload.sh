#!/usr/bin/env bash
# e2e hot reload: wrk runs against the VIP for 20 s while sluiced is reloaded
# 20 times, alternating two valid configurations that differ in an unrelated
# service (a UDP service added and removed). wrk ends with zero socket errors
# and zero non-2xx answers, every reload is accepted, and the VRRP instances
# keep their state (no mastership blip). A reload with an invalid file is
# refused with its errors and leaves the configuration generation and the
# traffic untouched.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=rld
RELOADS=20
e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$W/a.toml" e2erld "$SOCK"
cp "$W/a.toml" "$W/b.toml"
e2e_add_udp_service "$W/b.toml" 7000 nat
e2e_check_config "$W/a.toml"
e2e_check_config "$W/b.toml"
cp "$W/a.toml" "$CONF"

e2e_testbed_up "$TB"
e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID
e2e_assert_contains "first request" "$(ip netns exec "$TB_NS_CLIENT" curl -s -m 2 "http://$TB_VIP/")" "be"
masters_before=$("$SLUICECTL" --socket "$SOCK" vrrp --json | jq '[.instances[].counters.became_master] | add')

ip netns exec "$TB_NS_CLIENT" timeout 60 wrk -t1 -c8 -d20s "http://$TB_VIP/" >"$W/wrk.out" 2>&1 &
WRK=$!
E2E_HELPER_PIDS+=("$WRK")
sleep 0.5
accepted=0
for ((i = 1; i <= RELOADS; i++)); do
  if ((i % 2)); then cp "$W/b.toml" "$CONF"; else cp "$W/a.toml" "$CONF"; fi
  e2e_ctl "$SOCK" reload
  ((E2E_RC == 0)) && accepted=$((accepted + 1))
  sleep 0.8
done
wait "$WRK" || true
out=$(cat "$W/wrk.out")
printf '%s\n' "$out" | sed 's/^/    /'
e2e_assert_eq "all $RELOADS reloads accepted" "$RELOADS" "$accepted"
e2e_assert_ge "wrk completed requests" "$(awk '/requests in/ {print $1}' <<<"$out")" 1000
e2e_assert_not_contains "wrk: no socket errors during the reloads" "$out" "Socket errors"
e2e_assert_not_contains "wrk: no non-2xx answers during the reloads" "$out" "Non-2xx"
e2e_ctl "$SOCK" status --json
e2e_assert_eq "reload count" "$RELOADS" "$(jq '.reloads' <<<"$E2E_OUT")"
e2e_assert_eq "VRRP kept its state (no new mastership)" "$masters_before" \
  "$("$SLUICECTL" --socket "$SOCK" vrrp --json | jq '[.instances[].counters.became_master] | add')"
e2e_assert_eq "VRRP instances still master" "VI_1=MASTER VI_2=MASTER" "$(e2e_vrrp_states "$SOCK")"

# An invalid file: refused with its errors; nothing changes.
generation=$(jq '.config_generation' <<<"$E2E_OUT")
printf '\nbogus_reload_key = 1\n' >>"$CONF"
e2e_ctl "$SOCK" reload
e2e_assert_rc "sluicectl reload of an invalid file exits 1" 1 "$E2E_RC"
e2e_assert_contains "the error names the file, line and key" "$E2E_STDERR" "bogus_reload_key"
e2e_ctl "$SOCK" status --json
e2e_assert_eq "configuration generation unchanged" "$generation" "$(jq '.config_generation' <<<"$E2E_OUT")"
e2e_assert_contains "traffic unaffected" "$(ip netns exec "$TB_NS_CLIENT" curl -s -m 2 "http://$TB_VIP/")" "be"

e2e_check_clean_stop "$PID"
e2e_finish
