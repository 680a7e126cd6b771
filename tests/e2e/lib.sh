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
