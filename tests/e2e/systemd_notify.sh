#!/usr/bin/env bash
# e2e systemd notification protocol without systemd: a Unix datagram socket
# stands in for $NOTIFY_SOCKET and records what sluiced sends.
#  1. READY=1 once sluiced forwards
#  2. WATCHDOG=1 keeps coming at half of WATCHDOG_USEC while the workers run
#  3. SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1
#  4. SIGTERM: STOPPING=1
# Also: sluiced --check exit codes (0 valid, 4 valid with warnings, 1 invalid).
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=sdn
e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" e2esdn "$SOCK"
e2e_check_config "$CONF"

# --check exit codes.
rc=0
"$SLUICED" --check "$CONF" >/dev/null 2>&1 || rc=$?
e2e_assert_rc "--check: a clean file exits 0" 0 "$rc"
cp "$CONF" "$W/warn.toml"
printf '\n[[vrrp_instance]]\nname = "VI_9"\ninterface = "front"\nvirtual_router_id = 99\n' >>"$W/warn.toml"
rc=0
"$SLUICED" --check "$W/warn.toml" >/dev/null 2>&1 || rc=$?
e2e_assert_rc "--check: valid with a warning (no virtual_ipaddress) exits 4" 4 "$rc"
printf 'bogus_key = 1\n' >>"$W/warn.toml"
rc=0
"$SLUICED" --check "$W/warn.toml" >/dev/null 2>&1 || rc=$?
e2e_assert_rc "--check: invalid exits 1" 1 "$rc"

e2e_testbed_up "$TB"
NOTIFY=$W/notify.sock
/usr/bin/python3 -u - "$NOTIFY" "$W/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(1.0)
end = time.time() + 90
with open(sys.argv[2], "w", buffering=1) as log:
    while time.time() < end:
        try:
            data = s.recv(4096).decode()
        except socket.timeout:
            continue
        for line in data.split("\n"):
            log.write("%.3f %s\n" % (time.time(), line))
PY
E2E_HELPER_PIDS+=("$!")
e2e_wait_for 5 test -S "$NOTIFY" || e2e_fatal "notify socket listener did not start"

NOTIFY_SOCKET=$NOTIFY WATCHDOG_USEC=400000 e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID
e2e_wait_for 10 grep -q "READY=1" "$W/notify.log" || e2e_fail "no READY=1"
e2e_assert_contains "READY carries a status" "$(cat "$W/notify.log")" "STATUS=forwarding"
sleep 2
pings=$(grep -c "WATCHDOG=1" "$W/notify.log" || true)
e2e_assert_ge "WATCHDOG=1 every ~0.2 s while the workers run (2 s)" "$pings" 6

kill -HUP "$PID"
e2e_wait_for 10 bash -c "grep -A20 RELOADING=1 '$W/notify.log' | grep -q READY=1" || e2e_fail "no READY=1 after RELOADING=1"
e2e_assert_contains "RELOADING=1 is sent" "$(cat "$W/notify.log")" "RELOADING=1"
e2e_assert_contains "with MONOTONIC_USEC" "$(grep -A3 RELOADING=1 "$W/notify.log")" "MONOTONIC_USEC="

e2e_check_clean_stop "$PID"
e2e_assert_contains "STOPPING=1 on SIGTERM" "$(cat "$W/notify.log")" "STOPPING=1"
e2e_finish
