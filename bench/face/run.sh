#!/usr/bin/env bash
# Face engine benchmark (issue: family-search engines, part 2): prints the figures and PASS/MISS against
#   ≥ 10 aligned faces per second on 2 cores (recognition network on aligned chips from the package's demo photos);
#   exact search over 1M × 128 random normalised embeddings within 1.2× of a bare FAISS IndexFlatIP (same run).
# Runtime about a minute. Smaller: BENCH_FACE_VECTORS=100000. Results go to build/bench/face.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD_DIR:-build/release}
BIN=$BUILD/bench/face/bench_face
scripts/fetch-face-models
cmake --build "$BUILD" -j2 --target bench_face >/dev/null
mkdir -p build/bench
{
  date -u +%FT%TZ
  "$BIN" --faces "${BENCH_FACE_FACES:-60}" --vectors "${BENCH_FACE_VECTORS:-1000000}" \
    --queries "${BENCH_FACE_QUERIES:-100}" --threads "${BENCH_FACE_THREADS:-2}" --repeat "${BENCH_FACE_REPEAT:-3}"
} | tee build/bench/face.txt
