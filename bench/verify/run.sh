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

python3 - "$TIMINGS" "$PEAK_KB" "$WALL" "$S0" "$S1" "$DUCK" "$SQ_USER" "$SQ_SYS" "$LOAD" <<'EOF' | tee build/bench/verify.txt
import json, sys
t = json.load(open(sys.argv[1])); peak_gb = int(sys.argv[2]) / 1024 / 1024; wall = float(sys.argv[3])
sqlite_s = float(sys.argv[5]) - float(sys.argv[4]); d = json.loads(sys.argv[6])
batch = t["index_s"] + t["run_s"]
def verdict(ok): return "PASS" if ok else "MISS"
print(f"households {t['households']:,}, feed rows {t['feed_rows']:,} (DuckDB loaded {d['feed_rows']:,}), threads {d['threads']}, DuckDB {d['duckdb_version']}")
print(f"doudi batch over loaded data (index {t['index_s']:.2f} s + rules {t['run_s']:.2f} s): {batch:.2f} s  [≤ 10 s: {verdict(batch <= 10)}]")
print(f"doudi whole run {wall:.1f} s (households {t['households_s']:.1f} s, feed import {t['import_s']:.1f} s, write {t['write_s']:.2f} s), peak RSS {peak_gb:.2f} GB  [≤ 6 GB: {verdict(peak_gb <= 6)}]")
print(f"DuckDB same checks over loaded tables: {d['check_s']:.2f} s (its load {d['load_s']:.1f} s)  speed-up {d['check_s'] / batch:.1f}×  [≥ 2×: {verdict(d['check_s'] >= 2 * batch)}]")
same = d['missing'] == 0 and d['decision_diff'] == 0 and d['flags_diff'] == 0 and d['figures_diff'] == 0
print(f"identical results: {d['households']:,} households, {d['decision_diff']} decision / {d['flags_diff']} flag / {d['figures_diff']} figure differences, {d['missing']} missing  [{verdict(same)}]")
print(f"  decisions: eligible {d['eligible']:,}, ineligible {d['ineligible']:,}, review {d['review']:,}")
if not same: print(f"  first differences: {d['first_differences']}")
sq_cpu = float(sys.argv[7]) + float(sys.argv[8])
print(f"feed import: doudi {t['import_s']:.1f} s (parse, validate, hash, columnar) vs sqlite3 .import {sqlite_s:.1f} s  speed-up {sqlite_s / t['import_s']:.1f}×  [≥ 2×: {verdict(sqlite_s >= 2 * t['import_s'])}]")
print(f"  CPU seconds: doudi import {t['feeds_cpu_s']:.1f} s, sqlite3 {sq_cpu:.1f} s; doudi batch {t['batch_cpu_s']:.1f} s. Load average at the end: {sys.argv[9]} (a shared machine inflates wall times)")
EOF
