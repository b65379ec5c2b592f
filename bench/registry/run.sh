#!/usr/bin/env bash
# Registry read benchmark (issue: platform foundation):
#   GET /api/v1/registry/persons/{id} with a session, on a database of 1,000,000 persons, against a bare
#   cpp-httplib JSON hello-world built with the same flags; wrk on loopback, 64 connections, 10 s each.
#   Target: doudi >= 50% of the baseline's requests/s, p99 <= 20 ms.
# The 1M-person database is generated once (deterministic demo generator) and kept in build/bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=build/release/doudi
HELLO=build/release/bench/bench_hello
OUT=build/bench/registry
HOUSEHOLDS=${BENCH_HOUSEHOLDS:-440000}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
PORT=18080; HELLO_PORT=18081
mkdir -p "$OUT"
cat > "$OUT/doudi.toml" <<TOML
[server]
listen = "127.0.0.1:$PORT"
access_log = false
threads = 128
[database]
url = "sqlite:$PWD/$OUT/registry.db"
pool = 64
[security]
key_file = "$PWD/$OUT/doudi.key"
TOML
if [ ! -f "$OUT/registry.db.ready" ]; then
  rm -f "$OUT"/registry.db*
  echo "generating $HOUSEHOLDS households (about 1,000,000 persons)..."
  /usr/bin/time -f "demo load: %e s, %M KB peak" $BIN demo --config "$OUT/doudi.toml" --households "$HOUSEHOLDS" --seed 7 >"$OUT/demo.log"
  touch "$OUT/registry.db.ready"
fi
PERSONS=$(sqlite3 "$OUT/registry.db" "SELECT max(id) FROM persons")
echo "persons in database: $PERSONS"
PASS='Bench#Manager2026x'
$BIN user add --config "$OUT/doudi.toml" --username bench_manager --role manager --division 4210 \
  --password 'Bench#Initial2026x' --name bench >/dev/null 2>&1 || \
  $BIN user reset-password --config "$OUT/doudi.toml" --username bench_manager --password 'Bench#Initial2026x' >/dev/null

$BIN serve --config "$OUT/doudi.toml" >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; kill ${HELLO_PID:-} 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
JAR="$OUT/cookies"
login() { curl -sf -c "$JAR" -b "$JAR" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench_manager\",\"password\":\"$1\"}" "http://127.0.0.1:$PORT/api/v1/auth/login"; }
RESP=$(login 'Bench#Initial2026x' || login "$PASS")
CSRF=$(echo "$RESP" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
if echo "$RESP" | grep -q '"must_change_password":true'; then
  curl -sf -c "$JAR" -b "$JAR" -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    -d "{\"old_password\":\"Bench#Initial2026x\",\"new_password\":\"$PASS\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/password" >/dev/null
fi
COOKIE=$(awk '$6=="doudi_session"{print $7}' "$JAR")
curl -sf -b "$JAR" "http://127.0.0.1:$PORT/api/v1/registry/persons/1" >/dev/null || { echo "person read failed"; exit 1; }

$HELLO $HELLO_PORT 128 >/dev/null &
HELLO_PID=$!
sleep 0.5
# warm-up, then the measured runs, alternating to share the machine's noise fairly
DOUDI_COOKIE=$COOKIE DOUDI_PERSONS=$PERSONS wrk -t2 -c$CONNS -d3s -s bench/registry/get_person.lua "http://127.0.0.1:$PORT" >/dev/null
DOUDI_PERSONS=$PERSONS DOUDI_COOKIE=x DOUDI_PATH_PREFIX=/api/v1/hello/ wrk -t2 -c$CONNS -d3s -s bench/registry/get_person.lua "http://127.0.0.1:$HELLO_PORT" >/dev/null
D=$(DOUDI_COOKIE=$COOKIE DOUDI_PERSONS=$PERSONS wrk -t2 -c$CONNS -d$DURATION --latency -s bench/registry/get_person.lua "http://127.0.0.1:$PORT" | grep RESULT)
H=$(DOUDI_PERSONS=$PERSONS DOUDI_COOKIE=x DOUDI_PATH_PREFIX=/api/v1/hello/ wrk -t2 -c$CONNS -d$DURATION --latency -s bench/registry/get_person.lua "http://127.0.0.1:$HELLO_PORT" | grep RESULT)
echo "doudi GET person: $D"
echo "hello baseline:   $H"
drps=$(echo "$D" | sed 's/.*rps=\([0-9.]*\).*/\1/'); hrps=$(echo "$H" | sed 's/.*rps=\([0-9.]*\).*/\1/')
dp99=$(echo "$D" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
dnon=$(echo "$D" | sed 's/.*non2xx=\([0-9]*\).*/\1/')
ratio=$(awk -v a="$drps" -v b="$hrps" 'BEGIN{printf "%.3f", a/b}')
verdict=$(awk -v r="$ratio" -v p="$dp99" -v n="$dnon" 'BEGIN{print (r>=0.5 && p<=20 && n==0) ? "PASS" : "MISS"}')
audit_rows=$(sqlite3 "$OUT/registry.db" "SELECT count(*) FROM audit_log WHERE action='registry.person.view'")
echo "ratio doudi/hello = $ratio (target >= 0.5), doudi p99 = ${dp99} ms (target <= 20), non-2xx = $dnon, person-view audit rows = $audit_rows: $verdict"
{ date -u +%FT%TZ; echo "persons=$PERSONS connections=$CONNS duration=$DURATION"; echo "doudi $D"; echo "hello $H";
  echo "ratio=$ratio p99_ms=$dp99 verdict=$verdict"; } > build/bench/registry.txt
