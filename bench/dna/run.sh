#!/usr/bin/env bash
# DNA kinship search benchmark (issue: family-search engines, part 1): prints the figures and PASS/MISS against
#   one duo query vs 10M references × 20 loci ≤ 3× one streaming pass over the packed database (same run);
#   parents and sibling queries ≤ 2× the duo time; 1,000 queries vs 1M references ≤ 30 s on 2 cores;
#   ≤ 48 bytes per 20-locus reference.
# Runtime about 1–2 minutes (mostly generating the 3 × 10M-reference databases). Smaller: BENCH_DNA_REFS=1000000.
# Results go to build/bench/dna.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD_DIR:-build/release}
BIN=$BUILD/bench/dna/bench_dna
cmake --build "$BUILD" -j2 --target bench_dna >/dev/null
mkdir -p build/bench
{
  date -u +%FT%TZ
  "$BIN" --refs "${BENCH_DNA_REFS:-10000000}" --batch-refs "${BENCH_DNA_BATCH_REFS:-1000000}" \
    --queries "${BENCH_DNA_QUERIES:-1000}" --threads "${BENCH_DNA_THREADS:-2}" --repeat "${BENCH_DNA_REPEAT:-3}"
} | tee build/bench/dna.txt
