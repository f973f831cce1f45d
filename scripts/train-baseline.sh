#!/usr/bin/env bash
# Trains the shipped Fashion-MNIST ResNet-18 baseline and writes examples/fashion-mnist-resnet18.onnx.
#
# Runs the opt-in test `trainShippedBaseline` (Tests/TrainingTests/BaselineTraining.swift), which
# calls `trainFashionMNISTBaseline` with its default options: base width 16, 4 epochs, batch 64,
# Nesterov SGD lr 0.05 with 200 warm-up steps and cosine decay, weight decay 5e-4, label smoothing
# 0.1, random crop with padding 2 and horizontal flip, seed 0, one OpenBLAS thread.
# Progress goes to standard output. Checkpoints go to $FACTORIZE_BASELINE_CHECKPOINTS
# (default .build/baseline-checkpoints), and running the script again resumes from them;
# delete that folder to start over.
#
# Environment: FACTORIZE_FASHION_MNIST, the folder with the IDX files
# (default /usr/share/datasets/fashion-mnist, from the Debian package dataset-fashion-mnist).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# -enable-testing lets the release test bundle build alongside test targets that use @testable.
swift build -c release --build-tests -Xswiftc -enable-testing
FACTORIZE_TRAIN_BASELINE=1 swift test -c release -Xswiftc -enable-testing --skip-build \
    --filter trainShippedBaseline
