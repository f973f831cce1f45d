#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Factorize builds and tests with, when any is missing.
# Uses sudo when not run as root. Safe to run repeatedly.
set -euo pipefail

packages=(
    libopenblas-dev liblapacke-dev zlib1g-dev libpng-dev libjpeg-dev
    python3-venv python3-pip
    dataset-fashion-mnist darknet
)

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "error: missing packages ${missing[*]} and no root rights or sudo to install them." >&2
    echo "Install them with your package manager, then run make again." >&2
    exit 1
fi

echo "Installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >&2
