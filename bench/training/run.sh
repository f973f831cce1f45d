#!/usr/bin/env bash
# Training throughput of the Factorize training engine against PyTorch (CPU) on the same
# ONNX graphs: the shipped Fashion-MNIST ResNet-18 and its Tucker-2 version.
#
# Usage: bench/training/run.sh
# Environment: PYTHON (interpreter with torch, onnx and numpy; default $FACTORIZE_PYTHON, else
#   the venv of `make test` in .build/venv), THREADS (default "1 2"), BATCH (default 64),
#   STEPS (default 20), WARMUP (default 3).
# Prints a Markdown table: median images/s of each side, the ratio Factorize/PyTorch and the
# peak RSS of each process. Both sides train every float initializer of the same file with
# Nesterov SGD on the same batch size, thread count and seeded random data.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-${FACTORIZE_PYTHON:-$root/.build/venv/bin/python3}}"
threads_list="${THREADS:-1 2}"
batch="${BATCH:-64}"
steps="${STEPS:-20}"
warmup="${WARMUP:-3}"

"$python" -c "import torch, onnx" 2>/dev/null || {
    echo "error: $python cannot import torch and onnx; install PyTorch (see scripts/make-venv.sh) or set PYTHON" >&2
    exit 1
}
swift build -c release --package-path "$root" --product factorize >&2
swift build -c release --package-path "$here" >&2
factorize="$(swift build -c release --package-path "$root" --show-bin-path)/factorize"
bench="$(swift build -c release --package-path "$here" --show-bin-path)/training-bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

shipped="$root/examples/fashion-mnist-resnet18.onnx"
"$factorize" compress "$shipped" -o "$work/tucker2.onnx" --method tucker2 --ratio 0.5 >/dev/null 2>&1

field() { "$python" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "machine: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; batch $batch; $steps steps after $warmup warm-up; torch $("$python" -c 'import torch; print(torch.__version__)')"
echo
echo "| model | threads | Factorize images/s | PyTorch images/s | ratio | Factorize peak RSS MiB | PyTorch peak RSS MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for model in "$shipped" "$work/tucker2.onnx"; do
    name="resnet18"
    [ "$model" = "$shipped" ] || name="resnet18 tucker2 (ratio 0.5)"
    for threads in $threads_list; do
        ours="$("$bench" "$model" "$threads" "$batch" "$steps" "$warmup")"
        theirs="$("$python" "$here/torch_bench.py" "$model" "$threads" "$batch" "$steps" "$warmup")"
        a="$(field "$ours" images_per_s)"
        b="$(field "$theirs" images_per_s)"
        ratio="$("$python" -c "print(f'{$a / $b:.2f}')")"
        printf '| %s | %s | %.1f | %.1f | %s | %s | %s |\n' "$name" "$threads" "$a" "$b" "$ratio" \
            "$(field "$ours" peak_rss_mib)" "$(field "$theirs" peak_rss_mib)"
    done
done
