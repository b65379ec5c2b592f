#!/usr/bin/env bash
# The web console's browser tests (web/e2e) against the real doudi binary: a temporary SQLite database with the
# demo accounts and a small synthetic population, web/dist served by doudi, Debian's Chromium driven by
# playwright-core. Run by ctest (make test); usage: tests/e2e/run.sh PATH/TO/doudi
set -euo pipefail
DOUDI=${1:?usage: run.sh PATH/TO/doudi}
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
[ -f "$ROOT/web/dist/index.html" ] || { echo "e2e: web/dist is missing (scripts/build-web builds it)"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "e2e: /usr/bin/chromium is missing (scripts/bootstrap installs it)"; exit 1; }
DIR=$(mktemp -d /tmp/doudi-e2e-XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT
cat > "$DIR/doudi.toml" <<TOML
[server]
listen = "127.0.0.1:0"
web_root = "$ROOT/web/dist"
access_log = false
[database]
url = "sqlite:$DIR/doudi.db"
[security]
key_file = "$DIR/doudi.key"
password_cost = "min"
TOML
"$DOUDI" demo --config "$DIR/doudi.toml" --households 300 >"$DIR/demo.log" 2>&1 || { cat "$DIR/demo.log"; exit 1; }
"$DOUDI" serve --config "$DIR/doudi.toml" --port-file "$DIR/port" >"$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 300); do [ -s "$DIR/port" ] && break; sleep 0.1; done
[ -s "$DIR/port" ] || { echo "e2e: the server did not start"; cat "$DIR/serve.log"; exit 1; }
PORT=$(cat "$DIR/port")
PW='Jingzhou@2026'; NEW='Jingzhou#2026e2e'; TOTP=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
export DOUDI_E2E_URL="http://127.0.0.1:$PORT"
export DOUDI_E2E_COUNTY_USER=caseworker_jingzhou DOUDI_E2E_COUNTY_PASSWORD=$PW DOUDI_E2E_COUNTY_NEW_PASSWORD=$NEW
export DOUDI_E2E_MANAGER_USER=manager DOUDI_E2E_MANAGER_PASSWORD=$PW DOUDI_E2E_MANAGER_NEW_PASSWORD=$NEW
export DOUDI_E2E_AUDIT_USER=auditor DOUDI_E2E_AUDIT_PASSWORD=$PW DOUDI_E2E_AUDIT_NEW_PASSWORD=$NEW DOUDI_E2E_AUDIT_TOTP_SECRET=$TOTP
export DOUDI_E2E_SYSADMIN_USER=admin DOUDI_E2E_SYSADMIN_PASSWORD=$PW DOUDI_E2E_SYSADMIN_NEW_PASSWORD=$NEW DOUDI_E2E_SYSADMIN_TOTP_SECRET=$TOTP
export DOUDI_E2E_SCREENSHOTS="$ROOT/build/e2e"
# A real idle timeout without waiting 30 minutes: age every session past the limit in the server's database.
export DOUDI_E2E_EXPIRE_SESSIONS_CMD="sqlite3 $DIR/doudi.db \"UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00.000Z'\""
cd "$ROOT/web"
status=0
node --test --test-concurrency=1 e2e/*.test.mjs || status=$?
if [ $status -ne 0 ]; then echo "--- server log"; tail -50 "$DIR/serve.log"; fi
exit $status
