#!/usr/bin/env bash
# e2e VRRP interoperability with a real keepalived 2.2.7. sluiced (NAME-lb1,
# front address 198.18.0.2) and keepalived (NAME-kad eth0, 198.18.0.4) run
# vrrp_instance VI_1, VRID 51, VIP 198.18.0.100/24 on the front LAN. Each case
# starts fresh processes:
#   1. keepalived wins (200 vs 100, v3): keepalived holds the VIP, sluiced is
#      BACKUP, names keepalived as master, drops nothing and never answers ARP
#      for the VIP.
#   2. sluiced wins (200 vs 100, v3): keepalived stays BACKUP and the client
#      reaches a backend through sluiced's VIP; sluiced's SIGTERM resigns with
#      priority 0 and keepalived takes over after Skew.
#   3. failover both ways: SIGKILL sluiced -> keepalived takes over within
#      Master_Down + 1 s; sluiced restarted preempts it. Then keepalived as
#      master is SIGKILLed -> sluiced takes over within Master_Down + 1 s.
#   4. VRRPv2 with PASS authentication elects; a wrong password is counted
#      (auth_mismatch) and, as the protocol has it, both become master.
#   5. VRRPv3 at 0.1 s: sluiced as BACKUP adopts the master's 10 cs.
#   6. unicast peers: sluiced master, then reloaded to a lower priority it
#      resigns and is BACKUP to keepalived; no VRRP packet to 224.0.0.18 at all.
# keepalived's own statistics (SIGUSR2) show no error for our adverts (cases
# 1, 2, 4, 6) and tshark validates our checksums (v3 multicast, v2, v3 unicast).
# VI_2 (back, VRID 52, the backends' gateway 198.18.1.1) runs on sluiced alone
# so that NAT replies come back through it.
# shellcheck disable=SC2317  # helpers run through wait_ms / e2e_wait_for and traps
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=ka
NODE=e2eka
VIP=198.18.0.100
LB_IP=198.18.0.2
KAD_IP=198.18.0.4
VRRP_GROUP=224.0.0.18

e2e_init
e2e_require_binaries
for tool in keepalived tshark arping curl; do
  command -v "$tool" >/dev/null || e2e_fatal "$tool missing (run scripts/setup)"
done
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
KA_CONF=$W/keepalived.conf
T_START=$SECONDS

# --- keepalived processes: every one is stopped by pid, also on failure -------
KA_PIDS=()      # keepalived parents and VRRP children we started
KA_TIMEOUT=     # the `timeout` wrapper of the current keepalived
KA_PID=         # its parent process (the one that takes signals)
KA_VRRP_PID=    # its VRRP child
KA_LOG=

_ka_is_ours() { # PID: still a keepalived (pids get reused)
  [[ $(cat "/proc/$1/comm" 2>/dev/null) == keepalived ]] && _e2e_alive "$1"
}

_ka_stop_all() {
  local pid i
  for pid in "${KA_PIDS[@]}"; do
    _ka_is_ours "$pid" && kill -TERM "$pid" 2>/dev/null
  done
  for ((i = 0; i < 50; i++)); do
    local alive=0
    for pid in "${KA_PIDS[@]}"; do _ka_is_ours "$pid" && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${KA_PIDS[@]}"; do
    if _ka_is_ours "$pid"; then
      e2e_log "teardown: keepalived pid $pid ignored SIGTERM; SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
  done
}
# Ours first, then lib.sh's teardown with the original exit status.
_ka_exit() {
  local rc=$?
  set +e
  _ka_stop_all
  (exit "$rc")
  _e2e_teardown
}
trap _ka_exit EXIT

# ka_conf PRIORITY VERSION ADVERT_INT [INSTANCE_LINE...]: $KA_CONF for VI_1.
ka_conf() {
  local prio=$1 ver=$2 adv=$3 line
  shift 3
  {
    echo "global_defs {"
    echo "  router_id kad"
    echo "  vrrp_garp_master_delay 1"
    echo "}"
    echo "vrrp_instance VI_1 {"
    echo "  state BACKUP"
    echo "  interface eth0"
    echo "  virtual_router_id 51"
    echo "  priority $prio"
    echo "  advert_int $adv"
    echo "  version $ver"
    for line in "$@"; do echo "  $line"; done
    echo "  virtual_ipaddress {"
    echo "    $VIP/24"
    echo "  }"
    echo "}"
  } >"$KA_CONF"
}

# keepalived in NAME-kad, VRRP only, in the foreground, logging to
# $W/keepalived-TAG.log; its statistics file goes to $TMPDIR = $W. -R: a killed
# VRRP child is not respawned (the parent exits), so SIGKILL means gone.
ka_start() { # TAG
  local tag=$1 i
  KA_LOG=$W/keepalived-$tag.log
  rm -f "$W/ka-$tag.pid" "$W/ka-$tag-vrrp.pid"
  TMPDIR=$W ip netns exec "$TB_NS_KAD" timeout 200 keepalived -n -l -D -R -f "$KA_CONF" \
    -p "$W/ka-$tag.pid" -r "$W/ka-$tag-vrrp.pid" --vrrp >"$KA_LOG" 2>&1 &
  KA_TIMEOUT=$!
  E2E_HELPER_PIDS+=("$KA_TIMEOUT")
  for ((i = 0; i < 100; i++)); do
    [[ -s $W/ka-$tag.pid && -s $W/ka-$tag-vrrp.pid ]] && break
    _e2e_alive "$KA_TIMEOUT" || break
    sleep 0.05
  done
  KA_PID=$(cat "$W/ka-$tag.pid" 2>/dev/null || true)
  KA_VRRP_PID=$(cat "$W/ka-$tag-vrrp.pid" 2>/dev/null || true)
  [[ $KA_PID =~ ^[0-9]+$ && $KA_VRRP_PID =~ ^[0-9]+$ ]] ||
    e2e_fatal "keepalived ($tag) did not start: $(tail -n 20 "$KA_LOG")"
  KA_PIDS+=("$KA_PID" "$KA_VRRP_PID")
  [[ $(awk '/^PPid:/ {print $2}' "/proc/$KA_VRRP_PID/status" 2>/dev/null) == "$KA_PID" ]] ||
    e2e_fatal "keepalived ($tag): VRRP pid $KA_VRRP_PID is not a child of $KA_PID"
  e2e_log "keepalived ($tag) pid $KA_PID, VRRP child $KA_VRRP_PID"
}

ka_stop() { # graceful: keepalived sends priority 0 and removes its VIP
  [[ -n $KA_TIMEOUT ]] || return 0
  _ka_is_ours "$KA_PID" && kill -TERM "$KA_PID" 2>/dev/null
  local i
  for ((i = 0; i < 50; i++)); do
    _e2e_alive "$KA_TIMEOUT" || break
    sleep 0.1
  done
  if _e2e_alive "$KA_TIMEOUT"; then
    e2e_fail "keepalived pid $KA_PID did not stop within 5 s of SIGTERM; killed"
    _ka_is_ours "$KA_VRRP_PID" && kill -KILL "$KA_VRRP_PID"
    _ka_is_ours "$KA_PID" && kill -KILL "$KA_PID"
  fi
  wait "$KA_TIMEOUT" 2>/dev/null || true
  KA_TIMEOUT=
}

kad_has_vip() { ip -n "$TB_NS_KAD" -4 -o addr show dev eth0 | grep -q " $VIP/"; }
kad_lacks_vip() { ! kad_has_vip; }
kad_mac() { ip -n "$TB_NS_KAD" -br link show eth0 | awk '{print toupper($3)}'; }
# Lines of the current keepalived log matching an ERE (0 when none).
ka_log_count() { grep -cE "$1" "$KA_LOG" || true; }

# keepalived's statistics (SIGUSR2 -> $W/keepalived.stats). Checks that every
# packet and authentication error counter of VI_1 is 0 and, with
# WANT_RECEIVED=1, that it received adverts.
_ka_stats_complete() { [[ $(grep -c 'Sent:' "$W/keepalived.stats" 2>/dev/null) -ge 2 ]]; }
check_ka_stats() { # LABEL WANT_RECEIVED
  local label=$1 want_received=$2 errors nonzero received
  rm -f "$W/keepalived.stats"
  kill -USR2 "$KA_PID"
  e2e_wait_for 3 _ka_stats_complete || {
    e2e_fail "$label: keepalived wrote no statistics to $W/keepalived.stats"
    return 0
  }
  KA_STATS=$(<"$W/keepalived.stats")
  cp "$W/keepalived.stats" "$W/keepalived-$label.stats"
  # "  Packet Errors:" / "  Authentication Errors:" sections, "    Name: N" lines.
  errors=$(awk '
    /^VRRP Instance: / { inst = $3 }
    /^  [^ ]/ { sect = $0; sub(/^ +/, "", sect); sub(/:.*/, "", sect) }
    inst == "VI_1" && /^    / && (sect == "Packet Errors" || sect == "Authentication Errors") {
      line = $0; sub(/^ +/, "", line); n = split(line, kv, ": ")
      printf "%s/%s=%s\n", sect, kv[1], kv[2]
    }' <<<"$KA_STATS")
  e2e_assert_eq "$label: keepalived reports 8 error counters for VI_1" 8 "$(grep -c . <<<"$errors")"
  nonzero=$(grep -v '=0$' <<<"$errors" | tr '\n' ' ' || true)
  e2e_assert_eq "$label: keepalived's packet and authentication error counters are all 0" "" "$nonzero"
  received=$(awk '/^  Advertisements:/ {a = 1; next} a && /Received:/ {print $2; exit}' <<<"$KA_STATS")
  if ((want_received)); then
    e2e_assert_ge "$label: keepalived received our adverts" "${received:-0}" 1
  fi
  e2e_assert_eq "$label: keepalived logged no checksum problem" 0 "$(ka_log_count '[Cc]hecksum')"
}

# --- sluiced ----------------------------------------------------------------------
# sluiced_conf PRIORITY VERSION ADVERT_INT [VI_1_TOML_LINE...]: $CONF from
# config.toml without its vrrp_instances (and so without track_service), then
# VI_2 (back, 198.18.1.1, sluiced alone) and VI_1 (front, the VIP) as given.
# No hugepages: a SIGKILLed sluiced then leaves no files behind.
sluiced_conf() {
  local prio=$1 ver=$2 adv=$3
  shift 3
  e2e_make_config "$W/base.toml" "$NODE" "$SOCK"
  awk '/^\[\[vrrp_instance\]\]/ {skip = 1; next} /^\[/ {skip = 0} !skip' "$W/base.toml" >"$CONF"
  sed -i -E 's/^hugepages = .*/hugepages = "off"/' "$CONF"
  grep -q '^hugepages = "off"' "$CONF" || e2e_fatal "could not set hugepages in $CONF"
  ! grep -q 'vrrp_instance\]\]\|track_service' "$CONF" || e2e_fatal "could not strip the vrrp_instances of config.toml"
  cat >>"$CONF" <<TOML

[[vrrp_instance]]
name = "VI_2"
interface = "back"
virtual_router_id = 52
priority = 150
advert_int = 1
version = 3
virtual_ipaddress = ["198.18.1.1/24"]

[[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
priority = $prio
advert_int = $adv
version = $ver
virtual_ipaddress = ["$VIP/24"]
TOML
  printf '%s\n' "$@" >>"$CONF"
  e2e_check_config "$CONF"
}

sluiced_start() { # TAG
  SL_LOG=$W/sluiced-$1.log
  E2E_WAIT_MASTER=0 e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$SL_LOG"
  SL_PID=$E2E_SLUICED_PID
  # The socket file exists before the dataplane (and VRRP) is up: wait until
  # the API reports VI_1, so that the order of starts is the order of elections.
  wait_ms 10 _vi_running || e2e_fatal "sluiced's API does not report VI_1 within 10 s"
}
_vi_running() { [[ -n $(vi .state) ]]; }

sluiced_stop() {
  local rc=0
  [[ -n ${SL_PID:-} ]] || return 0
  e2e_stop_sluiced "$SL_PID" || rc=$?
  e2e_assert_rc "sluiced exits 0 on SIGTERM" 0 "$rc"
  SL_PID=
}

# A jq expression over VI_1 (or NAME) in `sluicectl vrrp --json`.
vi() { # JQ [NAME]
  "$SLUICECTL" --socket "$SOCK" vrrp --json 2>/dev/null |
    jq -r --arg n "${2:-VI_1}" ".instances[] | select(.name == \$n) | $1" 2>/dev/null || true
}
vi_state_is() { [[ $(vi .state "${2:-VI_1}") == "$1" ]]; } # STATE [NAME]
vi_received_ge() { local n; n=$(vi .counters.adverts_received); [[ ${n:-0} -ge $1 ]]; }

# Every drop reason of VI_1 that is not 0 ("" when none).
vi_nonzero_drops() {
  vi '.counters.drops | to_entries | map(select(.value != 0) | "\(.key)=\(.value)") | join(" ")'
}

check_no_drops() { # LABEL
  local drops
  drops=$(vi '.counters.drops | length')
  e2e_assert_ge "$1: sluiced reports its drop reasons" "${drops:-0}" 10
  e2e_assert_eq "$1: sluiced dropped none of keepalived's adverts (every reason 0)" "" "$(vi_nonzero_drops)"
}

now_ms() { date +%s%3N; }

# Wait (bounded) for CMD; pass with the time it took, or fail.
expect_within() { # SECS DESC CMD...
  local secs=$1 desc=$2
  shift 2
  if wait_ms "$secs" "$@"; then e2e_pass "$desc (${ELAPSED_MS} ms)"; else e2e_fail "$desc: not within $secs s"; fi
}

e2e_assert_le_ms() { # DESC ACTUAL_MS MAX_MS
  if [[ $2 =~ ^[0-9]+$ ]] && (($2 <= $3)); then e2e_pass "$1 ($2 ms <= $3 ms)"; else e2e_fail "$1: took $2 ms, more than $3 ms"; fi
}

# Wait (bounded, 50 ms steps) until CMD succeeds; ELAPSED_MS = time taken.
wait_ms() { # SECS CMD...
  local secs=$1 t0 i
  shift
  t0=$(now_ms)
  for ((i = 0; i < secs * 20; i++)); do
    if "$@"; then
      ELAPSED_MS=$(($(now_ms) - t0))
      return 0
    fi
    sleep 0.05
  done
  ELAPSED_MS=$(($(now_ms) - t0))
  return 1
}

# --- tshark -------------------------------------------------------------------------
# Capture VRRP on NAME-kad's eth0 for SECS in the background (cap_wait ends it).
cap_start() { # TAG SECS FILTER
  CAP_FILE=$W/cap-$1.pcapng
  rm -f "$CAP_FILE"
  TMPDIR=$W ip netns exec "$TB_NS_KAD" timeout $(($2 + 15)) tshark -q -i eth0 -a "duration:$2" \
    -f "$3" -w "$CAP_FILE" >"$CAP_FILE.log" 2>&1 &
  CAP_PID=$!
  E2E_HELPER_PIDS+=("$CAP_PID")
  e2e_wait_for 10 _e2e_has_line "$CAP_FILE.log" 'Capturing on' ||
    e2e_fail "tshark did not start capturing: $(cat "$CAP_FILE.log")"
}
cap_wait() { wait "$CAP_PID" 2>/dev/null || true; }

# src dst version checksum-status priority ttl, one line per VRRP packet.
cap_fields() {
  TMPDIR=$W timeout 30 tshark -r "$CAP_FILE" -Y vrrp -o vrrp.v3_checksum_as_in_v2:FALSE -T fields \
    -e ip.src -e ip.dst -e vrrp.version -e vrrp.checksum.status -e vrrp.prio -e ip.ttl 2>/dev/null
}

# Every advert from sluiced in the capture is VERSION with checksum status 1
# ("Good": tshark verified it; v3 over IPv4 with the pseudo-header).
check_checksums() { # LABEL VERSION MIN_PACKETS
  local label=$1 ver=$2 min=$3 fields ours
  fields=$(cap_fields)
  ours=$(awk -v s="$LB_IP" '$1 == s' <<<"$fields")
  e2e_assert_ge "$label: tshark captured sluiced's adverts" "$(grep -c . <<<"$ours" || true)" "$min"
  e2e_assert_eq "$label: every one is VRRPv$ver" "" "$(awk -v v="$ver" '$3 != v' <<<"$ours")"
  e2e_assert_eq "$label: tshark finds every checksum Good" "" "$(awk '$4 != 1' <<<"$ours")"
  e2e_assert_eq "$label: TTL 255" "" "$(awk '$6 != 255' <<<"$ours")"
}

# The VIP's ARP replies seen by the client (broadcast requests, so that every
# holder would answer each one): the MACs that answered, one per line.
arp_repliers() {
  ip netns exec "$TB_NS_CLIENT" timeout 10 arping -b -c 3 -w 4 -I eth0 "$VIP" 2>&1 |
    sed -nE 's/^Unicast reply from .* \[([0-9A-Fa-f:]+)\].*/\1/p' | tr 'a-f' 'A-F' || true
}

# ==================================================================================
e2e_testbed_up "$TB"
KAD_MAC=$(kad_mac)
LB_MAC=$(tr 'a-f' 'A-F' <<<"$TB_LB1_FRONT_MAC")
e2e_log "keepalived: $(keepalived --version 2>&1 | head -n1); kad eth0 $KAD_MAC, sluiced front $LB_MAC"

# --- 1. keepalived wins ----------------------------------------------------------------
e2e_log "case 1: keepalived priority 200 vs sluiced 100, VRRPv3, advert_int 1"
ka_conf 200 3 1
sluiced_conf 100 3 1
ka_start c1
sluiced_start c1
expect_within 10 "1: keepalived is MASTER: $VIP on kad's eth0" kad_has_vip
e2e_assert_eq "1: keepalived logged MASTER" 1 "$(ka_log_count '\(VI_1\) Entering MASTER STATE')"
wait_ms 10 vi_state_is BACKUP || true
e2e_assert_eq "1: sluiced VI_1 is BACKUP" BACKUP "$(vi .state)"
wait_ms 5 vi_received_ge 3 || true
e2e_assert_eq "1: sluiced names keepalived as master" "$KAD_IP" "$(vi .master_address)"
e2e_assert_ge "1: sluiced received keepalived's adverts" "$(vi .counters.adverts_received)" 3
e2e_assert_eq "1: sluiced never became master" 0 "$(vi .counters.became_master)"
check_no_drops 1
repliers=$(arp_repliers)
e2e_assert_ge "1: the client got ARP replies for the VIP" "$(grep -c . <<<"$repliers" || true)" 1
e2e_assert_eq "1: only keepalived's MAC answers ARP for the VIP" "" "$(grep -vxF "$KAD_MAC" <<<"$repliers" || true)"
e2e_assert_not_contains "1: sluiced ($LB_MAC) does not answer ARP for the VIP" "$repliers" "$LB_MAC"
check_ka_stats 1 0
e2e_assert_eq "1: sluiced's VI_2 (back, alone) is MASTER" MASTER "$(vi .state VI_2)"
sluiced_stop
ka_stop

# --- 2. sluiced wins --------------------------------------------------------------------
e2e_log "case 2: sluiced priority 200 vs keepalived 100, VRRPv3, advert_int 1"
ka_conf 100 3 1
sluiced_conf 200 3 1
sluiced_start c2
ka_start c2
expect_within 10 "2: sluiced VI_1 is MASTER" vi_state_is MASTER
cap_start c2 3 "ip proto 112 and src host $LB_IP"
e2e_assert_eq "2: sluiced is its own master" "$LB_IP" "$(vi .master_address)"
wait_ms 5 kad_lacks_vip || true
e2e_assert_eq "2: keepalived is BACKUP: no $VIP on kad's eth0" 0 "$(kad_has_vip && echo 1 || echo 0)"
e2e_assert_ge "2: keepalived logged BACKUP" "$(ka_log_count '\(VI_1\) Entering BACKUP STATE')" 1
wait_ms 10 vi_state_is MASTER VI_2 || true
e2e_assert_eq "2: sluiced's VI_2 (backends' gateway) is MASTER" MASTER "$(vi .state VI_2)"
ip -n "$TB_NS_CLIENT" neigh flush dev eth0 2>/dev/null || true
body=
_vip_page() { body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 2 "http://$VIP/" 2>/dev/null) && [[ $body =~ ^be[123]$ ]]; }
e2e_wait_for 15 _vip_page || true
e2e_assert_contains "2: the client's curl to http://$VIP/ reaches a backend through sluiced" "$body" be
repliers=$(arp_repliers)
e2e_assert_eq "2: only sluiced answers ARP for the VIP" "" "$(grep -vxF "$LB_MAC" <<<"$repliers" || true)"
cap_wait
check_checksums 2 3 2
check_ka_stats 2 1
e2e_log "keepalived's statistics (case 2):"
printf '    %s\n' "${KA_STATS//$'\n'/$'\n'    }"
e2e_assert_eq "2: keepalived never became master" 0 "$(ka_log_count '\(VI_1\) Entering MASTER STATE')"
check_no_drops 2
# A graceful stop resigns with priority 0: keepalived takes over after its Skew
# (156/256 s) instead of Master_Down.
sluiced_stop
if wait_ms 3 kad_has_vip; then
  e2e_assert_le_ms "2: after sluiced's SIGTERM keepalived takes over within Skew + 1 s" "$ELAPSED_MS" 1609
else
  e2e_fail "2: keepalived did not take over within 3 s of sluiced's graceful stop"
fi
e2e_assert_eq "2: keepalived saw our priority 0 advert" 1 "$(ka_log_count 'Backup received priority 0 advertisement')"
ka_stop

# --- 3. failover, both directions ----------------------------------------------------------
# keepalived at priority 100, advert_int 1: Master_Down = 3 + 156/256 = 3.61 s.
MASTER_DOWN_100_MS=3609
e2e_log "case 3a: SIGKILL the master sluiced (200); keepalived (100) takes over"
ka_conf 100 3 1
sluiced_conf 200 3 1
sluiced_start c3a
ka_start c3a
wait_ms 10 vi_state_is MASTER || e2e_fail "3: sluiced VI_1 not MASTER within 10 s: $(vi .state)"
wait_ms 5 kad_lacks_vip || e2e_fail "3: keepalived still holds the VIP"
kill -KILL "$SL_PID"
wait "$SL_PID" 2>/dev/null || true
SL_PID=
if wait_ms 10 kad_has_vip; then
  e2e_assert_le_ms "3: keepalived takes the VIP within Master_Down + 1 s of sluiced's SIGKILL" \
    "$ELAPSED_MS" $((MASTER_DOWN_100_MS + 1000))
else
  e2e_fail "3: keepalived did not take the VIP within 10 s of sluiced's SIGKILL"
fi
backups=$(ka_log_count 'Entering BACKUP STATE$')
e2e_log "case 3a: sluiced (200, preempt) restarted takes mastership back"
sluiced_start c3a2
expect_within 10 "3: restarted sluiced (200, preempt) takes mastership back" vi_state_is MASTER
expect_within 5 "3: keepalived released the VIP" kad_lacks_vip
e2e_assert_eq "3: keepalived returned to BACKUP (log)" $((backups + 1)) "$(ka_log_count 'Entering BACKUP STATE$')"
check_no_drops 3a
sluiced_stop
ka_stop

e2e_log "case 3b: SIGKILL the master keepalived (200); sluiced (100) takes over"
ka_conf 200 3 1
sluiced_conf 100 3 1
ka_start c3b
sluiced_start c3b
wait_ms 10 kad_has_vip || e2e_fail "3: keepalived (200) did not become master within 10 s"
wait_ms 10 vi_state_is BACKUP || e2e_fail "3: sluiced VI_1 not BACKUP: $(vi .state)"
wait_ms 5 vi_received_ge 1 || true
kill -KILL "$KA_VRRP_PID"
if wait_ms 10 vi_state_is MASTER; then
  e2e_assert_le_ms "3: sluiced becomes MASTER within Master_Down + 1 s of keepalived's SIGKILL" \
    "$ELAPSED_MS" $((MASTER_DOWN_100_MS + 1000))
else
  e2e_fail "3: sluiced not MASTER within 10 s of keepalived's SIGKILL: $(vi .state)"
fi
check_no_drops 3b
ka_stop  # the parent exits by itself (-R); this only reaps it
# A SIGKILLed keepalived leaves its VIP on eth0.
ip -n "$TB_NS_KAD" addr del "$VIP/24" dev eth0 2>/dev/null || true
e2e_assert_eq "3: the VIP keepalived left behind is removed" 0 "$(kad_has_vip && echo 1 || echo 0)"
sluiced_stop

# --- 4. VRRPv2 with PASS authentication --------------------------------------------------------
e2e_log "case 4: VRRPv2, auth PASS: sluiced 200, keepalived 100"
ka_conf 100 2 1 "authentication {" "  auth_type PASS" "  auth_pass s3cret" "}"
sluiced_conf 200 2 1 "[vrrp_instance.authentication]" 'auth_type = "pass"' 'auth_pass = "s3cret"'
sluiced_start c4
ka_start c4
expect_within 10 "4: sluiced VI_1 (v2) is MASTER" vi_state_is MASTER
cap_start c4 3 "ip proto 112 and src host $LB_IP"
wait_ms 5 kad_lacks_vip || true
e2e_assert_eq "4: keepalived (v2) is BACKUP: no VIP on kad's eth0" 0 "$(kad_has_vip && echo 1 || echo 0)"
e2e_assert_eq "4: keepalived never became master" 0 "$(ka_log_count '\(VI_1\) Entering MASTER STATE')"
cap_wait
check_checksums 4 2 2
check_ka_stats 4 1
check_no_drops 4
e2e_assert_eq "4: keepalived did not complain about the password" 0 "$(ka_log_count 'passwd')"

e2e_log "case 4b: keepalived with the wrong password"
received_before=$(vi .counters.adverts_received)
ka_stop
ka_conf 100 2 1 "authentication {" "  auth_type PASS" "  auth_pass wrong" "}"
ka_start c4b
expect_within 10 "4b: keepalived ignores our adverts and becomes MASTER too" kad_has_vip
# keepalived sends one advert as it becomes master; after that each packet it
# receives while master (ours, though rejected) restarts its advert timer
# (vrrp_dispatcher_read), and ours come every advert_int: it may stay silent.
_auth_counted() { local n; n=$(vi .counters.drops.auth_mismatch); [[ ${n:-0} -ge 1 ]]; }
wait_ms 5 _auth_counted || true
e2e_assert_ge "4b: sluiced counts auth_mismatch drops" "$(vi .counters.drops.auth_mismatch)" 1
e2e_assert_eq "4b: sluiced stays MASTER (mismatched auth: both are master)" MASTER "$(vi .state)"
e2e_assert_eq "4b: sluiced accepted none of them" "$received_before" "$(vi .counters.adverts_received)"
e2e_assert_ge "4b: keepalived rejects our password" "$(ka_log_count 'passwd')" 1
sluiced_stop
ka_stop

# --- 5. VRRPv3 at 0.1 s --------------------------------------------------------------------
e2e_log "case 5: VRRPv3 advert_int 0.1: keepalived 200, sluiced 100"
ka_conf 200 3 0.1
sluiced_conf 100 3 0.1
ka_start c5
sluiced_start c5
wait_ms 10 kad_has_vip || e2e_fail "5: keepalived did not become master within 10 s"
wait_ms 10 vi_state_is BACKUP || true
e2e_assert_eq "5: sluiced VI_1 is BACKUP" BACKUP "$(vi .state)"
received0=$(vi .counters.adverts_received)
sleep 2
received1=$(vi .counters.adverts_received)
e2e_assert_eq "5: sluiced as BACKUP uses the master's interval" 10 "$(vi .master_adver_interval_cs)"
e2e_assert_ge "5: about 10 adverts a second arrive (2 s)" $((received1 - received0)) 15
e2e_assert_eq "5: sluiced never became master" 0 "$(vi .counters.became_master)"
e2e_assert_eq "5: sluiced names keepalived as master" "$KAD_IP" "$(vi .master_address)"
check_no_drops 5
e2e_assert_eq "5: keepalived stayed MASTER" 1 "$(ka_log_count '\(VI_1\) Entering MASTER STATE')"
sluiced_stop
ka_stop

# --- 6. unicast peers -------------------------------------------------------------------------
e2e_log "case 6: unicast: sluiced 200 -> $KAD_IP, keepalived 100 -> $LB_IP"
ka_conf 100 3 1 "unicast_src_ip $KAD_IP" "unicast_peer {" "  $LB_IP" "}"
sluiced_conf 200 3 1 "unicast_peer = [\"$KAD_IP\"]"
sluiced_start c6
ka_start c6
expect_within 10 "6: sluiced VI_1 (unicast) is MASTER" vi_state_is MASTER
cap_start c6 6 "ip proto 112"
wait_ms 5 kad_lacks_vip || true
e2e_assert_eq "6: keepalived is BACKUP: no VIP on kad's eth0" 0 "$(kad_has_vip && echo 1 || echo 0)"
e2e_assert_eq "6: sluiced reports unicast mode" unicast "$(vi .mode)"
sleep 2
check_ka_stats 6 1
# Now the other way: sluiced reloaded with priority 50 resigns (priority 0, to
# the peer) and keepalived's unicast adverts reach sluiced as BACKUP.
sed -i -E 's/^priority = 200$/priority = 50/' "$CONF"
e2e_ctl "$SOCK" reload
e2e_assert_rc "6: sluicectl reload (VI_1 priority 50)" 0 "$E2E_RC"
expect_within 5 "6: keepalived (100) takes over from the reloaded sluiced" kad_has_vip
wait_ms 5 vi_state_is BACKUP || true
wait_ms 5 vi_received_ge 2 || true
e2e_assert_eq "6: sluiced VI_1 (priority 50) is BACKUP" BACKUP "$(vi .state)"
e2e_assert_eq "6: sluiced names keepalived as master" "$KAD_IP" "$(vi .master_address)"
e2e_assert_ge "6: sluiced received keepalived's unicast adverts" "$(vi .counters.adverts_received)" 2
check_no_drops 6
cap_wait
fields=$(cap_fields)
e2e_assert_eq "6: no VRRP packet to $VRRP_GROUP from either side in 6 s" "" "$(awk -v g="$VRRP_GROUP" '$2 == g' <<<"$fields")"
e2e_assert_ge "6: sluiced's adverts go to $KAD_IP" "$(awk -v s="$LB_IP" -v d="$KAD_IP" '$1 == s && $2 == d' <<<"$fields" | grep -c . || true)" 2
e2e_assert_ge "6: sluiced resigned by reload with priority 0 to $KAD_IP" "$(awk -v s="$LB_IP" -v d="$KAD_IP" '$1 == s && $2 == d && $5 == 0' <<<"$fields" | grep -c . || true)" 1
e2e_assert_ge "6: keepalived's adverts go to $LB_IP" "$(awk -v s="$KAD_IP" -v d="$LB_IP" '$1 == s && $2 == d' <<<"$fields" | grep -c . || true)" 1
check_checksums 6 3 2
sluiced_stop
ka_stop

e2e_log "runtime $((SECONDS - T_START)) s"
e2e_finish
