# shellcheck shell=bash
# shellcheck disable=SC2034  # E2E_* variables are read by the tests
# tests/e2e/lib.sh: helpers shared by the end-to-end tests. Source it.
#
#   e2e_require_root
#   e2e_testbed_up NAME            scripts/testbed up NAME, source its env file,
#                                  register teardown (EXIT/INT/TERM)
#   e2e_start_sluiced NS CONFIG LOG
#                                  start sluiced in NS; sets E2E_SLUICED_PID
#   e2e_stop_sluiced PID           SIGTERM, wait <= 10 s; returns its exit code
#   e2e_spawn NS SECS CMD...       run a helper (a UDP server, ...) in NS, ended by
#                                  `timeout SECS` at the latest and by teardown
#   e2e_pass MSG / e2e_fail MSG    count a check (e2e_fail does not abort)
#   e2e_fatal MSG                  count a failure and end the test now
#   e2e_assert_eq / _ne / _ge / _contains / _not_contains / _rc DESC ...
#   e2e_finish                     print "N passed, M failed" and exit
#
# The forwarding tests (NAT, DR) share: e2e_parse_workers_option,
# e2e_set_workers, e2e_add_udp_service, e2e_check_config, e2e_start_udp_echo,
# e2e_check_first_request, e2e_check_weighted_spread, e2e_check_wrk,
# e2e_check_udp, e2e_check_status, e2e_check_drain_by_reload,
# e2e_check_clean_stop (see their comments below).
#
# Environment: SLUICED, SLUICECTL (binaries; meson passes them),
# SLUICE_SOURCE_ROOT (repository root). Everything a test makes lives in
# network namespaces of its own testbed and in $E2E_WORK; teardown always
# runs, also when the test fails or is interrupted.

set -euo pipefail

E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${SLUICE_SOURCE_ROOT:=$(cd "$E2E_LIB_DIR/../.." && pwd)}"
: "${SLUICED:=$SLUICE_SOURCE_ROOT/build/controlplane/sluiced}"
: "${SLUICECTL:=$SLUICE_SOURCE_ROOT/build/controlplane/cli/sluicectl}"
E2E_TESTBED=$SLUICE_SOURCE_ROOT/scripts/testbed
E2E_TEST=$(basename "${0%.sh}")
E2E_PASSED=0
E2E_FAILED=0
E2E_FINISHED=0
E2E_SLUICED_PID=
E2E_SLUICED_PIDS=()     # every sluiced started through e2e_start_sluiced
E2E_TESTBEDS=()         # every testbed brought up through e2e_testbed_up
E2E_WORK=/run/sluice-e2e/$E2E_TEST
# Hugepage directories to look for leftover files in.
E2E_HUGE_DIRS=(/dev/hugepages)

e2e_log() { echo "[$E2E_TEST] $*"; }
e2e_pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "PASS: $*"; }
e2e_fail() { E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL: $*"; }
e2e_fatal() { e2e_fail "$*"; echo "[$E2E_TEST] aborting"; exit 1; }
e2e_skip() { echo "SKIP: $*"; }

e2e_require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "[$E2E_TEST] SKIP: must run as root (network namespaces)" >&2
    exit 77 # meson: skipped
  fi
}

e2e_require_binaries() {
  local b
  for b in "$SLUICED" "$SLUICECTL"; do
    [[ -x $b ]] || e2e_fatal "binary not found or not executable: $b (build first, or set SLUICED/SLUICECTL)"
  done
  command -v jq >/dev/null || e2e_fatal "jq missing (run scripts/setup)"
}

# --- asserts ------------------------------------------------------------------
e2e_assert_eq() { # DESC EXPECTED ACTUAL
  if [[ $3 == "$2" ]]; then e2e_pass "$1"; else e2e_fail "$1: expected '$2', got '$3'"; fi
}
e2e_assert_ne() { # DESC UNEXPECTED ACTUAL
  if [[ $3 != "$2" ]]; then e2e_pass "$1"; else e2e_fail "$1: got '$3'"; fi
}
e2e_assert_ge() { # DESC ACTUAL MIN (integers)
  if [[ $2 =~ ^-?[0-9]+$ ]] && (($2 >= $3)); then
    e2e_pass "$1 ($2 >= $3)"
  else
    e2e_fail "$1: expected >= $3, got '$2'"
  fi
}
e2e_assert_contains() { # DESC HAYSTACK NEEDLE
  if [[ $2 == *"$3"* ]]; then
    e2e_pass "$1"
  else
    e2e_fail "$1: '$3' not found in: $(printf '%s' "$2" | head -c 2000)"
  fi
}
e2e_assert_not_contains() { # DESC HAYSTACK NEEDLE
  if [[ $2 != *"$3"* ]]; then e2e_pass "$1"; else e2e_fail "$1: unexpected '$3' in: $2"; fi
}
e2e_assert_rc() { # DESC EXPECTED_RC ACTUAL_RC
  if [[ $3 == "$2" ]]; then e2e_pass "$1 (exit $3)"; else e2e_fail "$1: expected exit $2, got $3"; fi
}

# --- summary and teardown -----------------------------------------------------
e2e_finish() {
  E2E_FINISHED=1
  exit 0 # the EXIT trap tears down, prints the summary and sets the status
}

_e2e_hugepage_leftovers() { # PID: files of that sluiced's DPDK prefix
  local pid=$1 d
  for d in "${E2E_HUGE_DIRS[@]}"; do
    [[ -d $d ]] || continue
    find "$d" -maxdepth 1 -name "sluice-*-${pid}map_*" 2>/dev/null
  done
}

_e2e_teardown() {
  local rc=$? pid tb left
  # Teardown is bounded and must finish: a second Ctrl-C does not cut it short.
  trap - EXIT
  trap '' INT TERM
  set +e
  if ((E2E_FINISHED == 0)) && ((rc == 0)); then
    e2e_fail "test script ended early without e2e_finish"
  elif ((rc != 0)) && ((E2E_FAILED == 0)); then
    e2e_fail "test script exited with status $rc"
  fi
  for pid in "${E2E_SLUICED_PIDS[@]}"; do
    if _e2e_alive "$pid"; then
      e2e_log "teardown: stopping sluiced pid $pid"
      _e2e_kill_wait "$pid" 10
    fi
  done
  for pid in "${E2E_HELPER_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for tb in "${E2E_TESTBEDS[@]}"; do
    e2e_log "teardown: testbed down $tb"
    "$E2E_TESTBED" down "$tb" >/dev/null || e2e_fail "testbed down $tb failed"
  done
  for pid in "${E2E_SLUICED_PIDS[@]}"; do
    # A sluiced the test SIGKILLed could not remove its DPDK runtime directory.
    _e2e_alive "$pid" || rm -rf /var/run/dpdk/sluice-*-"$pid"
    left=$(_e2e_hugepage_leftovers "$pid")
    if [[ -n $left ]]; then
      e2e_fail "hugepage files left by sluiced pid $pid: $(echo "$left" | tr '\n' ' ')"
    fi
  done
  if ((E2E_FAILED == 0)); then
    rm -rf "$E2E_WORK"
  else
    e2e_log "logs kept in $E2E_WORK"
  fi
  echo "$E2E_TEST: $E2E_PASSED passed, $E2E_FAILED failed"
  if ((E2E_FAILED == 0)); then exit 0; else exit 1; fi
}

# Call first: checks root, makes $E2E_WORK, installs the teardown trap.
e2e_init() {
  [[ -z ${E2E_INIT_DONE:-} ]] || return 0
  E2E_INIT_DONE=1
  e2e_require_root
  rm -rf "$E2E_WORK"
  mkdir -p "$E2E_WORK"
  trap _e2e_teardown EXIT
  trap 'e2e_fail "interrupted"; exit 130' INT
  trap 'e2e_fail "terminated"; exit 143' TERM
}

e2e_testbed_up() { # NAME
  local name=$1
  [[ ${#name} -le 6 ]] || e2e_fatal "testbed name '$name' longer than 6 characters"
  e2e_init
  E2E_TESTBEDS+=("$name")
  "$E2E_TESTBED" up "$name" || e2e_fatal "testbed up $name failed"
  # shellcheck disable=SC1090
  source "/run/sluice-testbed/$name/env"
}

# --- helper processes -----------------------------------------------------------
E2E_HELPER_PIDS=()
e2e_spawn() { # NS SECS CMD...
  local ns=$1 secs=$2
  shift 2
  ip netns exec "$ns" timeout "$secs" "$@" &
  E2E_HELPER_PIDS+=("$!")
}

# --- sluiced ------------------------------------------------------------------
_e2e_alive() { # PID: running and not a zombie
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# SIGTERM, wait up to SECS; SIGKILL if still alive. Sets E2E_EXIT_CODE (124
# when it had to be killed). Returns 0 if it stopped in time. Not in a
# subshell: only this shell can wait for its children.
_e2e_kill_wait() { # PID SECS
  local pid=$1 secs=$2 i
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < secs * 10; i++)); do
    _e2e_alive "$pid" || break
    sleep 0.1
  done
  if _e2e_alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    E2E_EXIT_CODE=124
    return 1
  fi
  wait "$pid" 2>/dev/null && E2E_EXIT_CODE=0 || E2E_EXIT_CODE=$?
  return 0
}

# The api_socket named in a config file.
e2e_config_socket() { # CONFIG
  sed -nE 's/^[[:space:]]*api_socket[[:space:]]*=[[:space:]]*"([^"]*)".*/\1/p' "$1" | head -n1
}

# Start sluiced in NS with CONFIG, logging to LOG. Sets E2E_SLUICED_PID (the
# sluiced process itself: ip netns exec execs it). Waits up to 20 s for the
# API socket named in CONFIG; fails the test with the log tail otherwise.
e2e_start_sluiced() { # NS CONFIG LOGFILE [extra sluiced args...]
  local ns=$1 config=$2 log=$3 sock pid i exe
  shift 3
  sock=$(e2e_config_socket "$config")
  [[ -n $sock ]] || e2e_fatal "no api_socket in $config"
  rm -f "$sock"
  mkdir -p "$(dirname "$sock")" "$(dirname "$log")"
  ip netns exec "$ns" "$SLUICED" --config "$config" "$@" >"$log" 2>&1 &
  pid=$!
  E2E_SLUICED_PIDS+=("$pid")
  E2E_SLUICED_PID=$pid
  for ((i = 0; i < 200; i++)); do
    [[ -S $sock ]] && break
    if ! _e2e_alive "$pid"; then
      wait "$pid" 2>/dev/null
      local code=$?
      echo "--- sluiced log ($log), last 30 lines:"
      tail -n 30 "$log"
      e2e_fatal "sluiced in $ns exited with status $code before its API socket $sock appeared"
    fi
    sleep 0.1
  done
  if [[ ! -S $sock ]]; then
    echo "--- sluiced log ($log), last 30 lines:"
    tail -n 30 "$log"
    e2e_fatal "sluiced in $ns: API socket $sock did not appear within 20 s"
  fi
  # `ip netns exec` execs the command, so $! is sluiced itself, not ip.
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  if [[ $(basename "$exe") == ip ]]; then
    e2e_fatal "pid $pid is '$exe', not sluiced: ip netns exec forked"
  fi
  e2e_log "sluiced pid $pid up in $ns (socket $sock)"
  # A lone appliance with vrrp_instances is backup until Master_Down passes
  # (about 3.6 s at advert_int 1); suites that are not about VRRP wait for it.
  # VRRP suites set E2E_WAIT_MASTER=0 and watch the election themselves.
  if [[ ${E2E_WAIT_MASTER:-1} == 1 ]] && grep -q '^\[\[vrrp_instance\]\]' "$config"; then
    e2e_wait_vrrp_state "$sock" MASTER 20 ||
      e2e_fatal "sluiced in $ns: its vrrp_instances did not all become MASTER within 20 s"
  fi
}

# The states of every vrrp_instance, "NAME=STATE" space separated, sorted.
e2e_vrrp_states() { # SOCKET
  "$SLUICECTL" --socket "$1" vrrp --json 2>/dev/null |
    jq -r '[.instances[] | "\(.name)=\(.state)"] | sort | join(" ")' 2>/dev/null
}

# Wait (bounded) until every vrrp_instance is in STATE.
e2e_wait_vrrp_state() { # SOCKET STATE SECS
  local sock=$1 want=$2 secs=$3 i states
  for ((i = 0; i < secs * 20; i++)); do
    states=$(e2e_vrrp_states "$sock")
    if [[ -n $states ]] && ! grep -qv "=$want\$" <<<"$(tr ' ' '\n' <<<"$states")"; then
      return 0
    fi
    sleep 0.05
  done
  e2e_log "vrrp states after ${secs} s: ${states:-none}"
  return 1
}

# SIGTERM, wait up to 10 s, return sluiced's exit code. A sluiced that hangs is
# SIGKILLed and counted as a failure (return 124).
e2e_stop_sluiced() { # PID
  local pid=$1
  if _e2e_kill_wait "$pid" 10; then
    return "$E2E_EXIT_CODE"
  fi
  e2e_fail "sluiced pid $pid did not exit within 10 s of SIGTERM; killed"
  return 124
}

# sluicectl against a socket without failing on a non-zero exit: sets E2E_OUT
# (stdout), E2E_STDERR and E2E_RC. Call it directly, not in $(...).
e2e_ctl() { # SOCKET ARGS...
  local sock=$1 errf
  shift
  errf=$(mktemp)
  E2E_RC=0
  E2E_OUT=$("$SLUICECTL" --socket "$sock" "$@" 2>"$errf") || E2E_RC=$?
  E2E_STDERR=$(<"$errf")
  rm -f "$errf"
}

# Write a test config: a copy of the repository's config.toml with our own
# [global] node_name and api_socket.
e2e_make_config() { # DEST NODE_NAME API_SOCKET [SRC]
  local dest=$1 node=$2 sock=$3 src=${4:-$SLUICE_SOURCE_ROOT/config.toml}
  [[ -f $src ]] || e2e_fatal "config template $src missing"
  mkdir -p "$(dirname "$dest")"
  awk -v node="$node" -v sock="$sock" '
    function put() { print "node_name = \"" node "\""; print "api_socket = \"" sock "\"" }
    /^[[:space:]]*\[/ { in_global = ($0 ~ /^[[:space:]]*\[global\][[:space:]]*(#.*)?$/) }
    in_global && /^[[:space:]]*(node_name|api_socket)[[:space:]]*=/ { next }
    { print }
    in_global && !done && /^[[:space:]]*\[global\]/ { put(); done = 1 }
    END { if (!done) { print ""; print "[global]"; put() } }
  ' "$src" >"$dest"
  grep -q "^node_name = \"$node\"" "$dest" || e2e_fatal "could not set node_name in $dest"
}

# A VRRP pair from config.toml: DIR/lb1.toml (front .2, back .2, priority 150)
# and DIR/lb2.toml (front .3, back .3, priority 100), API sockets DIR/lb1.sock
# and DIR/lb2.sock, both vrrp_instances at ADVERT_INT and tied by a sync group
# (the VIP and the backends' gateway must move together for NAT).
e2e_make_vrrp_pair() { # DIR ADVERT_INT
  local dir=$1 adv=$2
  e2e_make_config "$dir/lb1.toml" lb1 "$dir/lb1.sock"
  sed -i -E "s/^advert_int = .*/advert_int = $adv/" "$dir/lb1.toml"
  printf '\n[[vrrp_sync_group]]\nname = "G1"\ngroup = ["VI_1", "VI_2"]\n' >>"$dir/lb1.toml"
  sed -E -e 's/^node_name = .*/node_name = "lb2"/' \
    -e "s|^api_socket = .*|api_socket = \"$dir/lb2.sock\"|" \
    -e 's|"198\.18\.0\.2/24"|"198.18.0.3/24"|' -e 's|"198\.18\.1\.2/24"|"198.18.1.3/24"|' \
    -e 's/^priority = 150/priority = 100/' "$dir/lb1.toml" >"$dir/lb2.toml"
  grep -q '^priority = 100' "$dir/lb2.toml" || e2e_fatal "could not derive lb2.toml"
  e2e_check_config "$dir/lb1.toml"
  e2e_check_config "$dir/lb2.toml"
}

# Line number of the first line matching an ERE in FILE.
e2e_line_of() { # FILE ERE
  grep -nE "$2" "$1" | head -n1 | cut -d: -f1
}

# Wait (bounded) until CMD succeeds: e2e_wait_for SECS CMD...
e2e_wait_for() {
  local secs=$1 i
  shift
  for ((i = 0; i < secs * 10; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# --- shared by the forwarding tests (nat_forwarding.sh, dr_forwarding.sh) -----
# They expect the testbed's env (TB_NS_CLIENT, TB_NS_BE1..3, TB_VIP) and three
# backends be1..be3 at 198.18.1.11..13 whose web answer is their own name.

# Parse the forwarding tests' arguments ([--workers N] [--help]). Sets WORKERS
# (default 1) and suffixes E2E_TEST and E2E_WORK with _wN.
e2e_parse_workers_option() { # "$@"
  WORKERS=1
  while (($#)); do
    case $1 in
      --workers)
        [[ ${2:-} =~ ^[1-9]$ ]] || { echo "--workers needs a number 1-9" >&2; exit 2; }
        WORKERS=$2; shift ;;
      --help)
        echo "Usage: SLUICED=... SLUICECTL=... tests/e2e/$E2E_TEST.sh [--workers N]   (as root)"
        exit 0 ;;
      *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
  done
  E2E_TEST=${E2E_TEST}_w$WORKERS
  E2E_WORK=/run/sluice-e2e/$E2E_TEST
}

# Run N polling workers (lcores 1..N) with mempools large enough for their rings.
e2e_set_workers() { # CONFIG N
  local conf=$1 lcores
  lcores=$(seq -s ', ' 1 "$2")
  sed -i -E "s/^lcores = \[[^]]*\]/lcores = [$lcores]/" "$conf"
  grep -q "^lcores = \[$lcores\]" "$conf" || e2e_fatal "could not set lcores in $conf"
  sed -i -E "s/^mbufs = [0-9]+/mbufs = 16383/" "$conf"  # rings for two workers need more
}

# Append the 'echo-udp' service: rr over be1..be3 on PORT (also the VIP's port).
e2e_add_udp_service() { # CONFIG PORT LB_KIND
  local conf=$1 port=$2 kind=$3 be
  cat >>"$conf" <<TOML

[[virtual_server]]
name = "echo-udp"
vip = "198.18.0.100"
port = $port
protocol = "udp"
lb_algo = "rr"
lb_kind = "$kind"
interface = "front"
TOML
  for be in 11 12 13; do
    printf '  [[virtual_server.real_server]]\n  address = "198.18.1.%s"\n  port = %s\n' "$be" "$port" >>"$conf"
  done
}

# sluiced --check CONFIG, fatal with its message when it refuses the file.
# sluiced --check: 0 valid, 4 valid with warnings, 1 invalid.
e2e_check_config() { # CONFIG
  local rc=0
  "$SLUICED" --check "$1" >/dev/null 2>&1 || rc=$?
  ((rc == 0 || rc == 4)) || e2e_fatal "test config invalid: $("$SLUICED" --check "$1" 2>&1)"
}

# A UDP echo server on every backend that prefixes its answer with its name,
# bound to BIND_ADDR:PORT.
e2e_start_udp_echo() { # PORT BIND_ADDR
  local port=$1 bind=$2 i ns_var
  for i in 1 2 3; do
    ns_var="TB_NS_BE$i"
    e2e_spawn "${!ns_var}" 120 /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[3], int(sys.argv[2])))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(sys.argv[1].encode() + b":" + data, peer)
' "be$i" "$port" "$bind"
  done
}

_e2e_vip_answers() { ip netns exec "$TB_NS_CLIENT" curl -s -m 2 -o /dev/null "http://$TB_VIP/"; }

# The first request also waits for ARP resolution of the backends (bounded).
# ON_FAIL (a command) runs before the test is aborted, to collect evidence.
e2e_check_first_request() { # SLUICED_LOG [ON_FAIL]
  if e2e_wait_for 15 _e2e_vip_answers; then
    e2e_pass "first request through the VIP answered"
  else
    [[ -z ${2:-} ]] || "$2"
    e2e_fatal "no answer through the VIP within 15 s; log: $(tail -n 20 "$1")"
  fi
}

# REQUESTS sequential curls through the VIP: no failures, and be1..be3 (weights
# 1:2:3) each get their share within 10%.
e2e_check_weighted_spread() { # REQUESTS
  local requests=$1 i body failures=0 expected got
  local -A hits=([be1]=0 [be2]=0 [be3]=0)
  local weights=(1 2 3)
  e2e_log "sending $requests requests to $TB_VIP"
  for ((i = 0; i < requests; i++)); do
    body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
    case $body in
      be1 | be2 | be3) hits[$body]=$((hits[$body] + 1)) ;;
      *) failures=$((failures + 1)) ;;
    esac
  done
  e2e_log "spread: be1=${hits[be1]} be2=${hits[be2]} be3=${hits[be3]} failures=$failures"
  e2e_assert_eq "curl failures" 0 "$failures"
  for i in 1 2 3; do
    expected=$((requests * weights[i - 1] / 6))
    got=${hits[be$i]}
    if ((got * 10 >= expected * 9 && got * 10 <= expected * 11)); then
      e2e_pass "be$i got $got of $requests (weight ${weights[i - 1]}/6: expected $expected +-10%)"
    else
      e2e_fail "be$i got $got of $requests, expected $expected +-10%"
    fi
  done
}

# wrk for 10 s through the VIP: >= 1000 requests, no socket errors, no non-2xx.
e2e_check_wrk() {
  local out requests
  e2e_log "wrk -t1 -c8 -d10s through the VIP"
  out=$(ip netns exec "$TB_NS_CLIENT" timeout 40 wrk -t1 -c8 -d10s "http://$TB_VIP/" 2>&1 || true)
  printf '%s\n' "$out" | sed 's/^/    /'
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  e2e_assert_ge "wrk completed requests" "${requests:-0}" 1000
  e2e_assert_not_contains "wrk: no socket errors" "$out" "Socket errors"
  e2e_assert_not_contains "wrk: no non-2xx answers" "$out" "Non-2xx"
}

# 9 datagrams, each from a new socket, to VIP:PORT (servers from
# e2e_start_udp_echo): every one answered, from the VIP, by every backend (3
# each with one worker). With ALL_FROM_VIP=1 also assert that all 9 answers
# came from VIP:PORT.
e2e_check_udp() { # PORT WORKERS [ALL_FROM_VIP]
  local port=$1 workers=$2 all_from_vip=${3:-0} out i answered
  out=$(ip netns exec "$TB_NS_CLIENT" timeout 20 /usr/bin/python3 -c '
import socket, sys
for i in range(9):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(b"ping%d" % i, (sys.argv[1], int(sys.argv[2])))
    try:
        data, peer = s.recvfrom(2048)
    except socket.timeout:
        print("timeout"); continue
    name = data.split(b":")[0].decode()
    print(name, peer[0], peer[1], data.decode())
' "$TB_VIP" "$port" 2>&1 || true)
  printf '%s\n' "$out" | sed 's/^/    /'
  e2e_assert_not_contains "UDP: every datagram answered" "$out" "timeout"
  if ((all_from_vip)); then
    e2e_assert_eq "UDP: all 9 answers come from the VIP:$port" 9 \
      "$(grep -cE "^be[123] $TB_VIP $port " <<<"$out" || true)"
  fi
  for i in 1 2 3; do
    answered=$(grep -c "^be$i $TB_VIP $port " <<<"$out" || true)
    if ((workers == 1)); then
      e2e_assert_eq "UDP: be$i answered 3 of 9 (rr)" 3 "$answered"
    else
      # Each worker keeps its own rr cursor (as each LVS-on-DPDK worker does), so
      # the split is only even per worker.
      e2e_assert_ge "UDP: be$i answered at least one of 9" "$answered" 1
    fi
  done
}

# What the status API reports after e2e_check_weighted_spread, e2e_check_wrk
# and e2e_check_udp. Leaves the JSON status in E2E_STATUS for further checks.
e2e_check_status() { # SOCKET REQUESTS WORKERS
  local sock=$1 requests=$2 workers=$3
  e2e_ctl "$sock" status --json
  E2E_STATUS=$E2E_OUT
  # wrk keeps its 8 connections open: it adds 8 connections, not one per request.
  e2e_assert_ge "web service connections counted" \
    "$(jq '[.services[] | select(.name == "web")][0].stats.connections' <<<"$E2E_STATUS")" $((requests + 8))
  e2e_assert_eq "no_backend drops" 0 "$(jq '.forwarding.drops.no_backend' <<<"$E2E_STATUS")"
  e2e_assert_eq "table_full drops" 0 "$(jq '.forwarding.drops.table_full' <<<"$E2E_STATUS")"
  # The first packets to a not-yet-resolved next hop wait for ARP instead of being lost.
  e2e_assert_eq "no packet lost to neighbour resolution" 0 "$(jq '.forwarding.drops.unresolved_neighbour' <<<"$E2E_STATUS")"
  e2e_assert_eq "udp service connections" 9 "$(jq '[.services[] | select(.name == "echo-udp")][0].stats.connections' <<<"$E2E_STATUS")"
  if ((workers > 1)); then
    e2e_assert_eq "workers running" "$workers" "$(jq '.workers | length' <<<"$E2E_STATUS")"
    e2e_assert_eq "redirect ring never full" 0 "$(jq '.forwarding.drops.redirect_full' <<<"$E2E_STATUS")"
  fi
  e2e_ctl "$sock" status
  e2e_assert_contains "text status lists the service" "$E2E_OUT" "198.18.0.100:80"
}

_e2e_has_line() { grep -q "$2" "$1"; } # FILE ERE

# Drain by reload: a keep-alive connection is held open; its backend gets
# weight 0 in CONFIG and sluicectl reload; it takes none of 30 new connections
# while the held one keeps working. Then a reload of an invalid file (lb_algo =
# "fastest") fails, names key and file, and traffic goes on, still not to the
# drained backend. CONFIG is left as the drained config. Sets E2E_DRAINED (its
# name, be1..be3) and E2E_DRAINED_ADDR. With ONE_ZERO=1 also assert that the
# drained config has exactly one weight = 0 line.
e2e_check_drain_by_reload() { # SOCKET CONFIG [ONE_ZERO]
  local sock=$1 conf=$2 one_zero=${3:-0} w=$E2E_WORK hold_pid held addr i body other=0
  local -A after=([be1]=0 [be2]=0 [be3]=0)
  cat >"$w/hold.py" <<'PY'
import os, socket, sys, time
vip, flag = sys.argv[1], sys.argv[2]
def ask(s):
    s.sendall(b"GET / HTTP/1.1\r\nHost: vip\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"\n"):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n\r\n", 1)[1].strip().decode()
s = socket.create_connection((vip, 80), timeout=5)
print("first", ask(s), flush=True)
deadline = time.time() + 30
while not os.path.exists(flag) and time.time() < deadline:
    time.sleep(0.1)
print("second", ask(s), flush=True)
PY
  rm -f "$w/flag"
  ip netns exec "$TB_NS_CLIENT" timeout 60 /usr/bin/python3 "$w/hold.py" "$TB_VIP" "$w/flag" >"$w/hold.out" 2>&1 &
  hold_pid=$!
  E2E_HELPER_PIDS+=("$hold_pid")
  e2e_wait_for 10 _e2e_has_line "$w/hold.out" '^first ' ||
    e2e_fatal "the held connection got no first answer: $(cat "$w/hold.out")"
  held=$(awk '/^first / {print $2}' "$w/hold.out")
  [[ $held =~ ^be[123]$ ]] || e2e_fatal "the held connection answered '$held', not a backend name"
  e2e_log "held connection is on $held; draining it by reload with weight 0"
  addr="198.18.1.1${held#be}"
  E2E_DRAINED=$held
  E2E_DRAINED_ADDR=$addr
  # Only the web service's real_server has a weight line; the UDP ones do not.
  awk -v addr="$addr" '
    $0 ~ "address = \"" addr "\"" { mark = 1 }
    mark && /^[[:space:]]*weight[[:space:]]*=/ { sub(/=.*/, "= 0"); mark = 0 }
    { print }' "$conf" >"$w/drain.toml" && cp "$w/drain.toml" "$conf"
  if ((one_zero)); then
    e2e_assert_eq "config now has one weight = 0 line" 1 "$(grep -c '^[[:space:]]*weight = 0$' "$conf" || true)"
  fi
  e2e_ctl "$sock" reload
  e2e_assert_rc "sluicectl reload (weight 0 for $held)" 0 "$E2E_RC"
  for ((i = 0; i < 30; i++)); do
    body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
    case $body in
      be1 | be2 | be3) after[$body]=$((after[$body] + 1)) ;;
      *) other=$((other + 1)) ;;
    esac
  done
  e2e_log "after drain: be1=${after[be1]} be2=${after[be2]} be3=${after[be3]} failures=$other"
  e2e_assert_eq "drained $held gets no new connections" 0 "${after[$held]}"
  e2e_assert_eq "the others take all 30" 30 $((after[be1] + after[be2] + after[be3]))
  touch "$w/flag"
  wait "$hold_pid" || true
  e2e_assert_eq "the open connection to $held still works after the drain" "second $held" \
    "$(grep '^second ' "$w/hold.out" || echo "second <none>")"

  # An invalid file changes nothing: reload fails with the error, traffic goes on.
  cp "$conf" "$w/good.toml"
  sed -i 's/^lb_algo = "wrr"/lb_algo = "fastest"/' "$conf"
  grep -q '^lb_algo = "fastest"' "$conf" || e2e_fatal "could not break lb_algo in $conf"
  e2e_ctl "$sock" reload
  e2e_assert_rc "reload of an invalid file fails" 1 "$E2E_RC"
  e2e_assert_contains "the error names the key" "$E2E_STDERR" "lb_algo"
  e2e_assert_contains "the error names the file" "$E2E_STDERR" "$conf:"
  body=$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" || true)
  e2e_assert_ne "traffic still flows after the refused reload" "" "$body"
  e2e_assert_ne "and still not to the drained backend" "$held" "$body"
  cp "$w/good.toml" "$conf"
}

# SIGTERM sluiced PID and assert that it exits 0.
e2e_check_clean_stop() { # PID
  local rc=0
  e2e_stop_sluiced "$1" || rc=$?
  e2e_assert_rc "sluiced exits 0 on SIGTERM" 0 "$rc"
}
