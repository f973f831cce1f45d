#!/usr/bin/env bash
# Latency of the built-in engine against ONNX Runtime on the torchvision fixtures.
#
# Usage: bench/engine/run.sh [MODELS...]   (default: resnet18 resnet50 densenet121 vgg11_bn)
# Environment: PYTHON (interpreter with onnxruntime and numpy; default $FACTORIZE_PYTHON, else
#   the venv of `make test` in .build/venv),
#   FIXTURES (default ../shared/fixtures beside the checkout), THREADS (default "1 2"),
#   RUNS (default 20), WARMUP (default 3), OPTIMIZE=0 to time both runtimes unoptimized.
# Prints a Markdown table: median latency of each runtime, the ratio engine/ORT, and the
# peak RSS of each process. Both processes run the same model file on the same input shape.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-${FACTORIZE_PYTHON:-$root/.build/venv/bin/python3}}"
fixtures="${FIXTURES:-$root/../shared/fixtures}"
threads_list="${THREADS:-1 2}"
runs="${RUNS:-20}"
warmup="${WARMUP:-3}"
flag=""
[ "${OPTIMIZE:-1}" = "0" ] && flag="--no-optimize"
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(resnet18 resnet50 densenet121 vgg11_bn)

swift build -c release --package-path "$here" >&2
bench="$(swift build -c release --package-path "$here" --show-bin-path)/engine-bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

field() { "$python" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "machine: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; runs $runs after $warmup warm-up; ${flag:-optimized}"
echo
echo "| model | threads | engine median ms | ORT median ms | ratio | engine peak RSS MiB | ORT peak RSS MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for model in "${models[@]}"; do
    source="$fixtures/torchvision/$model.graph.onnx"
    [ -f "$source" ] || source="$fixtures/$model"
    file="$work/$(basename "$model" .onnx).onnx"
    "$bench" prepare "$source" "$file"
    for threads in $threads_list; do
        engine="$("$bench" time "$file" "$threads" "$runs" "$warmup" $flag)"
        ort="$("$python" "$here/ort_bench.py" "$file" "$threads" "$runs" "$warmup" $flag)"
        e="$(field "$engine" median_ms)"
        o="$(field "$ort" median_ms)"
        ratio="$("$python" -c "print(f'{$e / $o:.2f}')")"
        printf '| %s | %s | %.1f | %.1f | %s | %s | %s |\n' "$model" "$threads" "$e" "$o" "$ratio" \
            "$(field "$engine" peak_rss_mib)" "$(field "$ort" peak_rss_mib)"
    done
done
