#!/usr/bin/env bash
# e2e VRRP failover between two sluiced appliances on the testbed's front and
# back LANs (lb1 priority 150, lb2 priority 100, VRRPv3 at 1 s, VI_1 (the VIP)
# and VI_2 (the backends' gateway) in one sync group):
#  1. the higher priority becomes master of both; only it answers ARP for the
#     VIP; the backup counts the VIP's ARP requests as vip_not_owned; curl works
#  2. SIGKILL of the master: the backup takes over and curl to the VIP works
#     again within Master_Down_Interval + 1 s (3.61 s + 1 s)
#  3. lb1 restarts, preempts and is master again
#  4. SIGTERM of the master: it sends priority 0 and the backup takes over
#     after Skew (0.61 s), long before Master_Down
#     and lb1's notify scripts ran as the unprivileged script_user with
#     keepalived's arguments
#  5. a failing track_script (weight -60: 150 -> 90 < 100) moves mastership to
#     lb2; the script succeeding again moves it back
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=vrrp
MASTER_DOWN_S=3.61 # lb2: 3 x 1 s + (256 - 100) / 256 s
E2E_WAIT_MASTER=0  # this suite watches the elections itself

e2e_init
e2e_require_binaries
W=$E2E_WORK
e2e_make_vrrp_pair "$W" 1
command -v arping >/dev/null || e2e_fatal "arping missing (run scripts/setup)"

# Notify scripts (run as the unprivileged script_user, asynchronously): lb1's
# generic notify and notify_master record what they were told.
NOTIFY_OUT=$W/notify_out
mkdir -p "$NOTIFY_OUT"
chmod 1777 "$NOTIFY_OUT"
chmod 755 "$W"
printf '#!/bin/sh\necho "$*" >>%s/notify.log\n' "$NOTIFY_OUT" >"$W/notify.sh"
printf '#!/bin/sh\nid -un >%s/master_user\n' "$NOTIFY_OUT" >"$W/notify_master.sh"
chmod 755 "$W/notify.sh" "$W/notify_master.sh"
awk -v n="$W/notify.sh" -v m="$W/notify_master.sh" \
  '/^name = "VI_1"/ { print; print "notify = \"" n "\""; print "notify_master = \"" m "\""; next } { print }' \
  "$W/lb1.toml" >"$W/lb1.tmp" && mv "$W/lb1.tmp" "$W/lb1.toml"
e2e_check_config "$W/lb1.toml"

e2e_testbed_up "$TB"
LB1_MAC=$(ip netns exec "$TB_NS_LB1" cat /sys/class/net/front0/address)
LB2_MAC=$(ip netns exec "$TB_NS_LB2" cat /sys/class/net/front0/address)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

curl_vip() { ip netns exec "$TB_NS_CLIENT" curl -s -m 0.5 "http://$TB_VIP/" 2>/dev/null; }

# MACs that answer ARP for the VIP, as the client sees them (3 requests).
arp_answerers() {
  ip netns exec "$TB_NS_CLIENT" arping -c 3 -w 2 -I eth0 "$TB_VIP" 2>/dev/null |
    grep -oiE '\[([0-9a-f]{2}:){5}[0-9a-f]{2}\]' | tr -d '[]' | tr 'A-F' 'a-f' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

counter() { # SOCKET INSTANCE JQ-PATH-UNDER-COUNTERS
  "$SLUICECTL" --socket "$1" vrrp --json | jq -r ".instances[] | select(.name == \"$2\") | .counters.$3"
}

start_lb() { # 1|2 [config]
  local n=$1 conf=${2:-$W/lb$1.toml} ns
  ns=$([[ $n == 1 ]] && echo "$TB_NS_LB1" || echo "$TB_NS_LB2")
  e2e_start_sluiced "$ns" "$conf" "$W/lb$n.$(date +%s%N).log"
  eval "PID$n=$E2E_SLUICED_PID"
}

# --- 1. election ----------------------------------------------------------------
start_lb 1
start_lb 2
e2e_wait_vrrp_state "$W/lb1.sock" MASTER 10 || e2e_fail "lb1 did not become master of VI_1 and VI_2"
e2e_wait_vrrp_state "$W/lb2.sock" BACKUP 10 || e2e_fail "lb2 is not backup"
e2e_assert_eq "lb1 states" "VI_1=MASTER VI_2=MASTER" "$(e2e_vrrp_states "$W/lb1.sock")"
e2e_assert_eq "lb2 states" "VI_1=BACKUP VI_2=BACKUP" "$(e2e_vrrp_states "$W/lb2.sock")"
e2e_assert_eq "lb2 sees lb1 as master" "$TB_LB1_FRONT_IP" \
  "$("$SLUICECTL" --socket "$W/lb2.sock" vrrp --json | jq -r '.instances[] | select(.name == "VI_1") | .master_address')"
e2e_assert_eq "only lb1 answers ARP for the VIP" "$LB1_MAC" "$(arp_answerers)"
e2e_ctl "$W/lb2.sock" status --json
e2e_assert_ge "lb2 counts the VIP's ARP requests as vip_not_owned" \
  "$(jq '.forwarding.drops.vip_not_owned' <<<"$E2E_OUT")" 1 # arping broadcasts only its first request
e2e_assert_contains "curl through lb1" "$(curl_vip)" "be"
e2e_assert_eq "lb2 received adverts without drops" 0 \
  "$("$SLUICECTL" --socket "$W/lb2.sock" vrrp --json | jq '[.instances[].counters.drops[]] | add')"
e2e_assert_ge "lb2 received adverts" "$(counter "$W/lb2.sock" VI_1 adverts_received)" 1
e2e_assert_contains "keepalived's phrasing in lb1's log" "$(cat "$W"/lb1.*.log)" "(VI_1) Entering MASTER STATE"
e2e_wait_for 5 test -s "$NOTIFY_OUT/master_user" || true
e2e_assert_eq "notify_master ran as the unprivileged script_user" nobody "$(cat "$NOTIFY_OUT/master_user" 2>/dev/null)"
e2e_assert_contains "generic notify got keepalived's arguments" "$(cat "$NOTIFY_OUT/notify.log" 2>/dev/null)" \
  "INSTANCE VI_1 MASTER 150"

# --- 2. SIGKILL of the master -------------------------------------------------------
ip netns exec "$TB_NS_CLIENT" ip neigh flush dev eth0
curl_vip >/dev/null || true # the client's ARP entry points at lb1 again
t0=$(now)
kill -KILL "$PID1"
wait "$PID1" 2>/dev/null || true
ok=0
for ((i = 0; i < 200; i++)); do # bounded: 200 x (<= 0.5 s)
  if [[ $(curl_vip) == be* ]]; then ok=1; break; fi
  sleep 0.02
done
t1=$(now)
took=$(elapsed "$t0" "$t1")
e2e_assert_eq "curl to the VIP works again after SIGKILL of the master" 1 "$ok"
e2e_log "takeover after SIGKILL: curl answered again after $took s"
if le "$took" "$(awk -v m="$MASTER_DOWN_S" 'BEGIN { print m + 1 }')"; then
  e2e_pass "takeover within Master_Down_Interval + 1 s ($took s <= $MASTER_DOWN_S + 1 s)"
else
  e2e_fail "takeover took $took s, more than Master_Down_Interval + 1 s"
fi
e2e_assert_eq "lb2 master of both after SIGKILL" "VI_1=MASTER VI_2=MASTER" "$(e2e_vrrp_states "$W/lb2.sock")"
e2e_assert_eq "lb2 answers ARP for the VIP now" "$LB2_MAC" "$(arp_answerers)"
e2e_assert_ge "lb2 sent gratuitous ARPs" "$(counter "$W/lb2.sock" VI_1 garps_sent)" 1

# --- 3. lb1 comes back and preempts ----------------------------------------------------
start_lb 1
e2e_wait_vrrp_state "$W/lb1.sock" MASTER 10 || e2e_fail "restarted lb1 did not preempt"
e2e_wait_vrrp_state "$W/lb2.sock" BACKUP 5 || e2e_fail "lb2 did not return to backup"
e2e_assert_eq "lb1 master again" "VI_1=MASTER VI_2=MASTER" "$(e2e_vrrp_states "$W/lb1.sock")"
e2e_assert_ge "lb2 released master" "$(counter "$W/lb2.sock" VI_1 released_master)" 1
e2e_wait_for 5 bash -c "[[ \$(ip netns exec $TB_NS_CLIENT curl -s -m 0.5 http://$TB_VIP/) == be* ]]" ||
  e2e_fail "curl after lb1 took the VIP back"

# --- 4. SIGTERM: priority 0, takeover after Skew ------------------------------------------
zero_before=$(counter "$W/lb2.sock" VI_1 priority_zero_received)
t0=$(now)
kill -TERM "$PID1"
e2e_wait_vrrp_state "$W/lb2.sock" MASTER 5 || e2e_fail "lb2 did not take over after SIGTERM of lb1"
t1=$(now)
wait "$PID1" 2>/dev/null && rc=0 || rc=$?
e2e_assert_rc "lb1 exits 0 on SIGTERM" 0 "$rc"
took=$(elapsed "$t0" "$t1")
e2e_log "takeover after SIGTERM: $took s (Skew 0.61 s, Master_Down $MASTER_DOWN_S s)"
e2e_assert_ge "lb2 received priority 0" "$(counter "$W/lb2.sock" VI_1 priority_zero_received)" $((zero_before + 1))
if le "$took" 2.5; then
  e2e_pass "takeover after priority 0 well before Master_Down ($took s)"
else
  e2e_fail "takeover after SIGTERM took $took s: priority 0 not acted on"
fi
e2e_assert_contains "lb1 logged the priority 0 advert" "$(cat "$W"/lb1.*.log)" "(VI_1) sent 0 priority"

# --- 5. a failing track_script moves mastership -------------------------------------------
OKFILE=$W/chk_ok
touch "$OKFILE"
chmod 755 "$W"
cp "$W/lb1.toml" "$W/lb1_track.toml"
cat >>"$W/lb1_track.toml" <<EOF

[[vrrp_script]]
name = "chk_file"
script = "/usr/bin/test -e $OKFILE"
interval = 0.2
weight = -60
fall = 2
rise = 2
EOF
awk '/^name = "VI_1"/ { print; print "track_script = [\"chk_file\"]"; next } { print }' \
  "$W/lb1_track.toml" >"$W/lb1_track.tmp" && mv "$W/lb1_track.tmp" "$W/lb1_track.toml"
e2e_check_config "$W/lb1_track.toml"
start_lb 1 "$W/lb1_track.toml"
e2e_wait_vrrp_state "$W/lb1.sock" MASTER 10 || e2e_fail "lb1 with track_script did not become master"
rm -f "$OKFILE"
e2e_wait_for 10 bash -c "[[ \$(\"$SLUICECTL\" --socket $W/lb2.sock vrrp --json | jq -r '.instances[0].state') == MASTER ]]" ||
  e2e_fail "lb2 did not take over when lb1's track_script failed"
e2e_wait_vrrp_state "$W/lb1.sock" BACKUP 5 || e2e_fail "lb1 did not step down"
e2e_assert_eq "lb1 effective priority with the script failing" 90 \
  "$("$SLUICECTL" --socket "$W/lb1.sock" vrrp --json | jq '.instances[] | select(.name == "VI_1") | .effective_priority')"
e2e_assert_contains "lb1 logged the script failure" "$(cat "$W"/lb1.*.log)" "VRRP_Script(chk_file) failed"
e2e_assert_eq "lb2 master of both" "VI_1=MASTER VI_2=MASTER" "$(e2e_vrrp_states "$W/lb2.sock")"
touch "$OKFILE"
e2e_wait_vrrp_state "$W/lb1.sock" MASTER 10 || e2e_fail "lb1 did not take mastership back when the script recovered"
e2e_assert_contains "lb1 logged the script recovery" "$(cat "$W"/lb1.*.log)" "VRRP_Script(chk_file) succeeded"

e2e_stop_sluiced "$PID1" || true
e2e_stop_sluiced "$PID2" || true
e2e_finish
