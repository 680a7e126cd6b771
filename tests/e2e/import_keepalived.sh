#!/usr/bin/env bash
# e2e sluicectl import-keepalived as an operator runs it: each realistic
# keepalived.conf under controlplane/import/tests/data converts (exit 0, every
# untranslated keyword on stderr as FILE:LINE) to a config.toml that
# `sluiced --check` accepts (0 or 4); an unbalanced file exits 1 with its
# FILE:LINE; a missing argument exits 2. No namespaces, no daemon.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
e2e_require_binaries
W=$E2E_WORK
DATA=$SLUICE_SOURCE_ROOT/controlplane/import/tests/data

for conf in seed.conf nat_pair.conf dr_misc.conf unicast_track.conf include/keepalived.conf; do
  [[ -f $DATA/$conf ]] || { e2e_fail "test data $conf missing"; continue; }
  out=$W/$(echo "$conf" | tr / _).toml
  extra=()
  # nat_pair.conf's checks bind to the appliance's own back address, which
  # keepalived.conf does not declare: the operator states it, as --help says.
  [[ $conf == nat_pair.conf ]] && extra=(--address ens2=10.10.0.2/16)
  rc=0
  "$SLUICECTL" import-keepalived "$DATA/$conf" -o "$out" "${extra[@]}" 2>"$out.stderr" || rc=$?
  e2e_assert_rc "import-keepalived $conf" 0 "$rc"
  if [[ -s $out.stderr ]]; then
    e2e_assert_contains "$conf: untranslated keywords carry FILE:LINE" "$(head -n1 "$out.stderr")" "$DATA/"
  fi
  rc=0
  "$SLUICED" --check "$out" >/dev/null 2>&1 || rc=$?
  if ((rc == 0 || rc == 4)); then
    e2e_pass "$conf: the generated config.toml passes sluiced --check (exit $rc)"
  else
    e2e_fail "$conf: the generated config.toml is refused: $("$SLUICED" --check "$out" 2>&1 | head -n 5)"
  fi
done

printf 'vrrp_instance VI_1 {\n  state MASTER\n' >"$W/broken.conf"
rc=0
err=$("$SLUICECTL" import-keepalived "$W/broken.conf" 2>&1 >/dev/null) || rc=$?
e2e_assert_rc "an unbalanced keepalived.conf exits 1" 1 "$rc"
e2e_assert_contains "and names the file" "$err" "$W/broken.conf:"
rc=0
"$SLUICECTL" import-keepalived >/dev/null 2>&1 || rc=$?
e2e_assert_rc "no FILE is a usage error (2)" 2 "$rc"
e2e_finish
