#!/bin/sh
# Measures load time and peak RSS of reading a VGG16-BN-size ONNX model (~553 MB of float32
# weights) with ONNXFile.read, and of onnx.load in Python for comparison.
#
# Usage: bench/onnx-load.sh
# Needs FACTORIZE_PYTHON (or /tmp/probe-venv/bin/python) with onnx and numpy, and /usr/bin/time.
# The model is written to ${TMPDIR:-/tmp}/factorize-bench and reused by later runs.
set -eu

cd "$(dirname "$0")/.."
python="${FACTORIZE_PYTHON:-/tmp/probe-venv/bin/python}"
fixtures="${FACTORIZE_FIXTURES:-../shared/fixtures}"
work="${TMPDIR:-/tmp}/factorize-bench"
model="$work/vgg16_bn-random.onnx"
mkdir -p "$work" .build

if [ ! -f "$model" ]; then
    "$python" bench/fill_weights.py "$fixtures/torchvision/vgg16_bn.graph.onnx" "$model"
fi
ls -l "$model"

swiftc -O -parse-as-library -module-name ONNXLoad Sources/ONNX/*.swift bench/ONNXLoad.swift -o .build/onnx-load

# The first run warms the page cache, so the timed runs measure decoding, not the disk.
.build/onnx-load "$model" --touch > /dev/null
for mode in "" "--touch"; do
    echo "== ONNXFile.read $mode"
    /usr/bin/time -v .build/onnx-load "$model" $mode 2>&1 \
        | grep -E '^(decode|touch):|Maximum resident|Elapsed \(wall'
done

echo "== onnx.load (Python, reference)"
/usr/bin/time -v "$python" -c "import onnx, sys, time; s = time.perf_counter(); onnx.load(sys.argv[1]); print('decode: %.1f ms' % ((time.perf_counter() - s) * 1e3))" "$model" 2>&1 \
    | grep -E '^decode:|Maximum resident|Elapsed \(wall'
