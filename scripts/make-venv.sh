#!/usr/bin/env bash
# Creates the Python virtual environment with the oracle and peer-runtime packages
# (ONNX, ONNX Runtime, TensorLy, NumPy, scikit-image) under .build/venv, when missing
# or when scripts/requirements.txt changed since it was made.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.build/venv"
stamp="$venv/.requirements"
requirements="$root/scripts/requirements.txt"

if [ -x "$venv/bin/python3" ] && cmp -s "$requirements" "$stamp"; then
    exit 0
fi

python=${PYTHON:-python3}
echo "Creating Python environment in $venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python3" -m pip install -q --upgrade pip >&2
"$venv/bin/python3" -m pip install -q -r "$requirements" >&2
cp "$requirements" "$stamp"
