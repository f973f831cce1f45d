#!/usr/bin/env bash
# Whole-model compress time, and MAC reduction against measured speedup per method.
#
# Usage: bench/compress/run.sh [time|speedup|all]   (default all)
#   time     compress time of resnet50 (tucker2 --vbmf) and vgg16_bn (tucker2 on the
#            convolutions, then tt on the fully connected layers), with /usr/bin/time.
#   speedup  per method at --ratio 0.5 on resnet18 and resnet50: MACs before/after and the
#            batch-1, 1-thread median latency of the original and the compressed model on the
#            built-in engine and ONNX Runtime, so the realized share of the MAC reduction shows.
# Environment: FIXTURES (default ../shared/fixtures), METHODS (default "tucker2 tt tr svd cp"),
#   CP_ITERATIONS (CP-ALS iterations per layer, default 10), ITERATIONS (timed runs, default 30),
#   FACTORIZE_PYTHON (default .build/venv/bin/python3).
# Models are written to ${TMPDIR:-/tmp}/factorize-compress-bench.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
fixtures="${FIXTURES:-$root/../shared/fixtures}"
work="${TMPDIR:-/tmp}/factorize-compress-bench"
methods="${METHODS:-tucker2 tt tr svd cp}"
cp_iterations="${CP_ITERATIONS:-10}"
iterations="${ITERATIONS:-30}"
export FACTORIZE_PYTHON="${FACTORIZE_PYTHON:-$root/.build/venv/bin/python3}"
factorize="$root/.build/release/factorize"
mode="${1:-all}"
mkdir -p "$work"
swift build -c release --product factorize >&2

model() {
    local name="$1"
    [ -f "$work/$name.onnx" ] || "$factorize" init-weights "$fixtures/torchvision/$name.graph.onnx" -o "$work/$name.onnx" --seed 1 2>/dev/null
    echo "$work/$name.onnx"
}

timed() {
    /usr/bin/time -f "%e s wall, %U s user, %M KB peak RSS" "$@" 2>&1 >/dev/null | grep -E "wall|^error" | tail -1
}

median() {
    "$factorize" bench "$1" --runtime "$2" --threads 1 --batch 1 --warmup 5 --iterations "$iterations" --json \
        | "$FACTORIZE_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d.get("latency_ms",{}).get("median","nan"))'
}

macs() {
    "$factorize" inspect "$1" --json | "$FACTORIZE_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["macs"])'
}

if [ "$mode" = time ] || [ "$mode" = all ]; then
    echo "## Compress time (2 cores)"
    r50=$(model resnet50)
    echo "- resnet50 tucker2 --vbmf: $(timed "$factorize" compress "$r50" -o "$work/resnet50-vbmf.onnx" --method tucker2 --vbmf)"
    v16=$(model vgg16_bn)
    echo "- vgg16_bn tucker2 --ratio 0.5 on convolutions: $(timed "$factorize" compress "$v16" -o "$work/vgg16-t2.onnx" --method tucker2 --ratio 0.5 --skip Gemm)"
    echo "- vgg16_bn tt --ratio 0.5 on fully connected layers: $(timed "$factorize" compress "$work/vgg16-t2.onnx" -o "$work/vgg16-t2-tt.onnx" --method tt --ratio 0.5 --layers Gemm --include-classifier)"
fi

if [ "$mode" = speedup ] || [ "$mode" = all ]; then
    echo
    echo "## MAC reduction vs measured speedup (--ratio 0.5, batch 1, 1 thread)"
    echo
    echo "| model | method | MAC reduction | builtin speedup | ORT speedup | builtin share | ORT share |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    for name in resnet18 resnet50; do
        original=$(model "$name")
        original_macs=$(macs "$original")
        builtin_original=$(median "$original" builtin)
        ort_original=$(median "$original" onnxruntime)
        for method in $methods; do
            compressed="$work/$name-$method.onnx"
            "$factorize" compress "$original" -o "$compressed" --method "$method" --ratio 0.5 --max-iter "$cp_iterations" >/dev/null 2>&1
            compressed_macs=$(macs "$compressed")
            builtin_time=$(median "$compressed" builtin)
            ort_time=$(median "$compressed" onnxruntime)
            "$FACTORIZE_PYTHON" - "$name" "$method" "$original_macs" "$compressed_macs" \
                "$builtin_original" "$builtin_time" "$ort_original" "$ort_time" <<'PY'
import sys
name, method = sys.argv[1:3]
m0, m1, b0, b1, o0, o1 = map(float, sys.argv[3:])
reduction, builtin, ort = m0 / m1, b0 / b1, o0 / o1
print(f"| {name} | {method} | {reduction:.2f} | {builtin:.2f} | {ort:.2f} | {builtin / reduction:.2f} | {ort / reduction:.2f} |")
PY
        done
    done
fi
