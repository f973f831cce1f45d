#!/bin/sh
# Benchmarks Factorize's decompositions against TensorLy 0.10 (NumPy backend) on
# the Conv and Gemm weight shapes of ResNet-50 and VGG-16 and on the real weights
# of EfficientNet-Lite0, one BLAS thread each, and writes RESULTS.md.
#
# Usage: bench/decomposition/run.sh [--only SUBSTRING] [--fraction F] [--cp-iterations N] [--no-real]
# Environment: FACTORIZE_PYTHON (default /tmp/probe-venv/bin/python, needs numpy,
# onnx and tensorly), FIXTURES (default ../shared/fixtures), OUT (default
# .build/bench-decomposition/run).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PYTHON=${FACTORIZE_PYTHON:-/tmp/probe-venv/bin/python}
FIXTURES=${FIXTURES:-$ROOT/../shared/fixtures}
OUT=${OUT:-$ROOT/.build/bench-decomposition/run}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

SWIFT_ARGS=""
CP_ITERATIONS=20
REAL=""
while [ $# -gt 0 ]; do
    case "$1" in
        --only|--fraction) SWIFT_ARGS="$SWIFT_ARGS $1 $2"; shift 2 ;;
        --cp-iterations) CP_ITERATIONS=$2; shift 2 ;;
        --no-real) REAL=--no-real; shift ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done

mkdir -p "$OUT"
"$PYTHON" "$HERE/make_tensors.py" "$FIXTURES" "$OUT/tensors" $REAL
"$HERE/build_swift.sh" "$ROOT/.build/bench-decomposition" > /dev/null
BENCH=$ROOT/.build/bench-decomposition/decomposition-bench
# shellcheck disable=SC2086
"$BENCH" "$OUT/tensors/manifest.json" --cp-iterations "$CP_ITERATIONS" $SWIFT_ARGS > "$OUT/swift.jsonl"
"$PYTHON" -W ignore "$HERE/tensorly_side.py" "$OUT/tensors/manifest.json" "$OUT/swift.jsonl" \
    --cp-iterations "$CP_ITERATIONS" > "$OUT/tensorly.jsonl"
"$PYTHON" "$HERE/report.py" "$OUT/tensors/manifest.json" "$OUT/swift.jsonl" "$OUT/tensorly.jsonl" \
    "bench/decomposition/run.sh $*" > "$OUT/RESULTS.md"
echo "$OUT/RESULTS.md"
