#!/usr/bin/env bash
# The demo, in two parts:
# 1. the real ImageNet-pretrained EfficientNet-Lite0 on real photos with the built-in engine,
#    printing each photo's top-5 classes;
# 2. the default study (examples/demo-study.json) on the shipped Fashion-MNIST ResNet-18:
#    original, cp, tucker2, tt and tr at half the parameters, each briefly fine-tuned with
#    distillation, accuracy on the 10 000 test images, latency on the built-in engine and
#    ONNX Runtime before and after optimization, and the report (results/demo, report/demo).
# Expects `make demo` to have built the release binary and the Python venv. The study resumes:
# delete results/demo to measure again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
factorize="$root/.build/release/factorize"
model="$root/../shared/fixtures/real/efficientnet-lite0.onnx"
work="$root/.build/demo"
mkdir -p "$work"

if [ ! -f "$model" ]; then
    echo "error: $model not found; the demo needs the fixtures folder ../shared beside the checkout." >&2
    exit 1
fi

# ImageNet class names in the order of the 1000 sorted synsets, from Debian's darknet package.
labels="$work/imagenet-classes.txt"
darknet=/usr/share/darknet/data
# awk reads to the end: `head` would close the pipe early, and pipefail would turn paste's
# SIGPIPE into a failed demo.
paste "$darknet/imagenet.labels.list" "$darknet/imagenet.shortnames.list" | awk 'NR <= 1000' | sort | cut -f 2 >"$labels"

photos=()
skimage_data=$("$root/.build/venv/bin/python3" -c 'import os, skimage; print(os.path.join(os.path.dirname(skimage.__file__), "data"))' 2>/dev/null || true)
for name in chelsea.png coffee.png astronaut.png rocket.jpg; do
    [ -n "$skimage_data" ] && [ -f "$skimage_data/$name" ] && photos+=("$skimage_data/$name")
done
for photo in "$darknet"/*.jpg; do
    [ -f "$photo" ] && photos+=("$photo")
done
if [ ${#photos[@]} -eq 0 ]; then
    echo "error: no photos found (scikit-image in .build/venv, or Debian's darknet package)." >&2
    exit 1
fi

echo "EfficientNet-Lite0 on ${#photos[@]} photos (built-in engine):" >&2
for photo in "${photos[@]}"; do
    echo "== $(basename "$photo")"
    "$factorize" run "$model" --input "$photo" --top 5 --labels "$labels"
done

echo >&2
echo "Study on the Fashion-MNIST ResNet-18 (examples/demo-study.json):" >&2
export FACTORIZE_PYTHON="$root/.build/venv/bin/python3"
"$factorize" study examples/demo-study.json
