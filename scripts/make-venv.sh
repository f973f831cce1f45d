#!/usr/bin/env bash
# Creates the Python virtual environment with the oracle and peer-runtime packages
# (ONNX, ONNX Runtime, TensorLy, NumPy, scikit-image) under .build/venv, when missing
# or when scripts/requirements.txt changed since it was made, and adds PyTorch when a
# local wheel is available.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.build/venv"
stamp="$venv/.requirements"
requirements="$root/scripts/requirements.txt"

if ! { [ -x "$venv/bin/python3" ] && cmp -s "$requirements" "$stamp"; }; then
    python=${PYTHON:-python3}
    echo "Creating Python environment in $venv" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python3" -m pip install -q --upgrade pip >&2
    "$venv/bin/python3" -m pip install -q -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi

# PyTorch is optional: it is the oracle of one training test and the peer in the training
# throughput benchmark. PyPI's Linux torch wheels depend on NVIDIA's CUDA packages (gigabytes), so it is
# installed only from a local CPU wheel: $FACTORIZE_TORCH_WHEEL, or the first torch wheel for
# this Python in the folder $PIP_FIND_LINKS. FACTORIZE_TORCH=0 skips it.
if [ "${FACTORIZE_TORCH:-1}" != 0 ] && ! "$venv/bin/python3" -c "import torch" 2>/dev/null; then
    tag=$("$venv/bin/python3" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
    wheel=${FACTORIZE_TORCH_WHEEL:-}
    if [ -z "$wheel" ] && [ -d "${PIP_FIND_LINKS:-}" ]; then
        wheel=$(ls "$PIP_FIND_LINKS"/torch-*-"$tag"-*"$(uname -m)".whl 2>/dev/null | head -n 1 || true)
    fi
    if [ -n "$wheel" ]; then
        echo "Installing PyTorch from $wheel" >&2
        "$venv/bin/python3" -m pip install -q "$wheel" >&2 || echo "PyTorch not installed; its tests will be skipped" >&2
    fi
fi
