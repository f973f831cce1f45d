#!/bin/sh
# Builds the ONNX decoder fuzz target with libFuzzer and runs it.
#
# Usage: Fuzz/run.sh [seconds [libFuzzer options...]]   (default 600 seconds)
# Example: Fuzz/run.sh 300 -max_len=2048 explores small inputs about 25 times faster than
# the default, whose inputs grow to the size of the largest seed.
# The seed corpus is every fixture model under 400 KB, copied into a temporary folder
# that also collects the inputs libFuzzer finds. Crash reproducers land in .build/fuzz-artifacts/.
set -eu

cd "$(dirname "$0")/.."
seconds="${1:-600}"
[ $# -gt 0 ] && shift
fixtures="${FACTORIZE_FIXTURES:-../shared/fixtures}"

mkdir -p .build/fuzz-artifacts
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ONNX \
    Sources/ONNX/*.swift Fuzz/ONNXFuzz.swift -o .build/onnx-fuzz

corpus="$(mktemp -d "${TMPDIR:-/tmp}/onnx-fuzz-corpus.XXXXXX")"
find "$fixtures" -name '*.onnx' -size -400k -exec cp {} "$corpus" \;
echo "corpus: $corpus ($(ls "$corpus" | wc -l) seed files)"

.build/onnx-fuzz "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -artifact_prefix=.build/fuzz-artifacts/ -print_final_stats=1 "$@"
