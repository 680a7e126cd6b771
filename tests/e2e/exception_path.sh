#!/usr/bin/env bash
# e2e exception path: with exception_path = true each port gets a kernel TAP
# (sl-front, sl-back) carrying the port's MAC. The host's own traffic works
# while DPDK owns the ports: the kernel in the appliance's namespace reaches a
# backend over sl-back (the way health checks will), a client reaches a TCP
# service of the host kernel on the appliance's front address, and forwarding
# through the VIP is unaffected.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TB=exc
NODE=e2eexc
HOST_PORT=2222

if [[ ${1:-} == --help ]]; then
  echo "Usage: SLUICED=... SLUICECTL=... tests/e2e/exception_path.sh   (as root)"
  exit 0
fi

e2e_init
e2e_require_binaries
W=$E2E_WORK
SOCK=$W/sluiced.sock
CONF=$W/sluiced.toml
e2e_make_config "$CONF" "$NODE" "$SOCK"
sed -i -E 's/^(role = "front")$/\1\nexception_path = true/' "$CONF" # config.toml has it on back
e2e_assert_eq "exception_path set on both ports" 2 "$(grep -c '^exception_path = true' "$CONF")"
e2e_check_config "$CONF"

e2e_testbed_up "$TB"
e2e_start_sluiced "$TB_NS_LB1" "$CONF" "$W/sluiced.log"
PID=$E2E_SLUICED_PID

# The API socket opens before the ports do: wait (bounded) for the TAPs.
for tap in sl-front sl-back; do
  tap_up() { ip -n "$TB_NS_LB1" link show "$1" >/dev/null 2>&1; }
  if e2e_wait_for 10 tap_up "$tap"; then
    e2e_pass "TAP $tap exists in $TB_NS_LB1"
  else
    e2e_fatal "TAP $tap missing in $TB_NS_LB1"
  fi
done
front_mac=$(ip -n "$TB_NS_LB1" -br link show front0 | awk '{print tolower($3)}')
e2e_assert_eq "sl-front carries front0's MAC" "$front_mac" \
  "$(ip -n "$TB_NS_LB1" -br link show sl-front | awk '{print tolower($3)}')"
# sluiced gives each TAP its port's addresses and brings it up.
tap_ready() { ip -n "$TB_NS_LB1" -4 addr show dev "$1" 2>/dev/null | grep -q "inet $2 "; }
e2e_wait_for 10 tap_ready sl-front 198.18.0.2/24 && e2e_wait_for 10 tap_ready sl-back 198.18.1.2/24 ||
  e2e_fail "sluiced did not give the TAPs the ports' addresses"
e2e_assert_contains "sl-front is up with 198.18.0.2/24" "$(ip -n "$TB_NS_LB1" -4 -br addr show dev sl-front)" "198.18.0.2/24"
e2e_assert_contains "sl-back is up with 198.18.1.2/24" "$(ip -n "$TB_NS_LB1" -4 -br addr show dev sl-back)" "198.18.1.2/24"

# 1. The appliance host's kernel reaches a backend through sl-back.
host_curl() { ip netns exec "$TB_NS_LB1" curl -s -m 2 "http://198.18.1.12/" | grep -qx be2; }
if e2e_wait_for 10 host_curl; then
  e2e_pass "the host kernel reaches be2 through the exception path"
else
  e2e_fail "the host kernel cannot reach be2 through sl-back"
fi

# 2. A client reaches a TCP service of the host kernel on the front address.
ip netns exec "$TB_NS_LB1" timeout 20 /usr/bin/python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.18.0.2", int(sys.argv[1])))
s.listen()
c, _ = s.accept()
c.sendall(b"hello from the host kernel\n")
c.close()
' "$HOST_PORT" &
E2E_HELPER_PIDS+=("$!")
answer=""
for ((i = 0; i < 20; i++)); do
  answer=$(ip netns exec "$TB_NS_CLIENT" timeout 3 /usr/bin/python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
print(s.recv(100).decode().strip())
' 198.18.0.2 "$HOST_PORT" 2>/dev/null || true)
  [[ -n $answer ]] && break
  sleep 0.2
done
e2e_assert_eq "a client reaches the host's TCP service on 198.18.0.2" "hello from the host kernel" "$answer"

# 3. Forwarding and the dataplane's own answers are unaffected.
e2e_assert_eq "curl through the VIP" 1 "$(ip netns exec "$TB_NS_CLIENT" curl -s -m 3 "http://$TB_VIP/" | grep -c '^be[123]$' || true)"
if ip netns exec "$TB_NS_CLIENT" ping -c 2 -i 0.2 -W 1 198.18.0.2 >/dev/null; then
  e2e_pass "ping 198.18.0.2 answered"
else
  e2e_fail "ping 198.18.0.2 unanswered"
fi

e2e_ctl "$SOCK" status --json
status=$E2E_OUT
e2e_assert_ge "packets handed to the kernel" "$(jq '.forwarding.to_host' <<<"$status")" 3
e2e_assert_ge "packets sent by the kernel" "$(jq '.forwarding.from_host' <<<"$status")" 3
e2e_assert_eq "status names the exception interface" sl-back \
  "$(jq -r '.ports[] | select(.name == "back") | .exception_interface' <<<"$status")"

rc=0
e2e_stop_sluiced "$PID" || rc=$?
e2e_assert_rc "sluiced exits 0 on SIGTERM" 0 "$rc"
if ip -n "$TB_NS_LB1" link show sl-back >/dev/null 2>&1; then
  e2e_fail "sl-back still exists after sluiced stopped"
else
  e2e_pass "the TAPs are gone with sluiced"
fi
e2e_finish
