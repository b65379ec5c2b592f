#!/usr/bin/env bash
# Household verification benchmark (issue 4): prints the figures and PASS/MISS against
#   batch verification over loaded data (index + rules) ≤ 10 s, peak memory of the whole run ≤ 6 GB, on 2 cores;
#   ≥ 2× faster than DuckDB (npm @duckdb/node-api) running the same checks as SQL over the same data loaded into
#   DuckDB tables, in the same run, with identical decisions (and flags and figures), compared household by household;
#   feed import ≥ 2× faster than the sqlite3 command-line .import of the same files.
# Data: bench_verify_gen, 1,000,000 households (≈ 2.65M persons, ≈ 31M feed rows), generated once into
# build/bench/verify-data (about 1.3 GB). Smaller: BENCH_VERIFY_HOUSEHOLDS=100000. Results: build/bench/verify.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD_DIR:-build/release}
N=${BENCH_VERIFY_HOUSEHOLDS:-1000000}
THREADS=${BENCH_VERIFY_THREADS:-2}
DATA=build/bench/verify-data-$N
mkdir -p build/bench
if [ -f "$BUILD/build.ninja" ] && grep -q bench_verify_gen "$BUILD/build.ninja"; then
  cmake --build "$BUILD" -j2 --target doudi bench_verify_gen >/dev/null
  GEN=$BUILD/bench/verify/bench_verify_gen
else  # bench/CMakeLists.txt without the verify subdirectory: compile the generator directly
  cmake --build "$BUILD" -j2 --target doudi >/dev/null
  GEN=build/bench/bench_verify_gen
  c++ -O2 -std=c++20 -o "$GEN" bench/verify/generate.cc
fi
DOUDI=$BUILD/doudi
if [ ! -f "$DATA/done" ]; then
  rm -rf "$DATA"
  "$GEN" "$DATA" --households "$N"
  touch "$DATA/done"
fi
(cd bench/verify && { [ -d node_modules/@duckdb/node-api ] || npm ci --no-audit --no-fund >/dev/null; })

OUT=build/bench/verify-out.csv
TIMINGS=build/bench/verify-timings.json
# doudi: the whole CLI run under /usr/bin/time for the peak resident memory.
/usr/bin/time -f '%M %e' -o build/bench/verify-time.txt \
  "$DOUDI" verify batch --households "$DATA/households.csv" --feeds "$DATA/feeds" --policy "$DATA/policy.toml" \
  --as-of 2025-07-15 --out "$OUT" --jobs "$THREADS" --timings "$TIMINGS" 2>build/bench/verify-summary.txt || true
read -r PEAK_KB WALL <build/bench/verify-time.txt
# DuckDB: load the same files (not part of the comparison), then the same checks, then compare with OUT.csv.
DUCK=$(node bench/verify/duckdb_baseline.mjs "$ROOT/$DATA" "$ROOT/$OUT" "$THREADS")
# sqlite3 .import of the same feed files into a fresh database (journal and sync off: its fastest settings).
SQLDB=build/bench/verify-import.sqlite
rm -f "$SQLDB"
{
  echo "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
  echo ".mode csv"
  for f in "$DATA"/feeds/*.csv; do echo ".import $f $(basename "$f" .csv)"; done
} >build/bench/verify-import.sql
S0=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o build/bench/verify-sqlite-cpu.txt sqlite3 "$SQLDB" <build/bench/verify-import.sql >/dev/null
S1=$(date +%s.%N)
rm -f "$SQLDB"
read -r SQ_USER SQ_SYS <build/bench/verify-sqlite-cpu.txt
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

node bench/verify/report.mjs "$TIMINGS" "$PEAK_KB" "$WALL" "$S0" "$S1" "$DUCK" "$SQ_USER" "$SQ_SYS" "$LOAD" | tee build/bench/verify.txt
