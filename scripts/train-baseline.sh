#!/usr/bin/env bash
# Trains the shipped Fashion-MNIST ResNet-18 baseline and writes examples/fashion-mnist-resnet18.onnx.
#
# Runs the opt-in test `trainShippedBaseline` (Tests/TrainingTests/BaselineTraining.swift) in two
# phases, both with their default options and seed 0, one OpenBLAS thread:
#   1. `trainFashionMNISTBaseline`: base width 16, 4 epochs, batch 64, Nesterov SGD lr 0.05 with
#      200 warm-up steps and cosine decay to 0, weight decay 5e-4, label smoothing 0.1, random crop
#      with padding 2 and horizontal flip (91.05 % top-1 on the test set).
#   2. `continueFashionMNISTBaseline`: 3 more epochs from phase 1's weights and BatchNormalization
#      statistics with a fresh optimizer, lr 0.02 cosine to 0 without warm-up, no augmentation,
#      same batch size, weight decay and label smoothing (92.84 % top-1 on the test set; 2 811 steps
#      ran in 16 minutes at about 200 images/s on a shared x86_64 core).
# The exported model has BatchNormalization folded; its metadata records the recipe and accuracy.
# Progress goes to standard output. Checkpoints go to $FACTORIZE_BASELINE_CHECKPOINTS
# (default .build/baseline-checkpoints; phase 2 under continuation/), and running the script
# again resumes from them; delete that folder to start over.
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
