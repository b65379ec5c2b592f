#!/usr/bin/env bash
# Attribute matching benchmark (issue: family-search engines, part 3): 1M missing-person reports × 100k
# unidentified persons matched (prepare + EM + blocking + scoring) in ≤ 60 s on 2 cores. Prints PASS/MISS.
# Smaller: BENCH_LINKAGE_MISSING=100000 BENCH_LINKAGE_FOUND=10000. Results go to build/bench/linkage.txt.
# BENCH_LINKAGE_SCAN=per_pair|scalar|avx2|avx512 picks how rule 1 and 3 are scored (default: the widest kernel).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD_DIR:-build/release}
cmake --build "$BUILD" -j2 --target bench_linkage >/dev/null
mkdir -p build/bench
{
  date -u +%FT%TZ
  "$BUILD/bench/linkage/bench_linkage" --missing "${BENCH_LINKAGE_MISSING:-1000000}" \
    --found "${BENCH_LINKAGE_FOUND:-100000}" --threads "${BENCH_LINKAGE_THREADS:-2}" --scan "${BENCH_LINKAGE_SCAN:-auto}"
} | tee build/bench/linkage.txt
