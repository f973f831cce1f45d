#!/bin/sh
# Builds the checkpoint reader fuzz target (unpickler, zip, legacy and safetensors readers)
# with libFuzzer and runs it.
#
# Usage: Fuzz/run-checkpoints.sh [seconds [libFuzzer options...]]   (default 600 seconds)
# The seed corpus is the committed checkpoint fixtures plus the data.pkl pickles of the zip
# fixtures, copied into a temporary folder that also collects the inputs libFuzzer finds.
# Crash reproducers land in .build/fuzz-artifacts/. The build leaves out
# StoredTensor+Tensor.swift, the only file that needs LinearAlgebra and its BLAS module.
set -eu

cd "$(dirname "$0")/.."
seconds="${1:-600}"
[ $# -gt 0 ] && shift
fixtures=Tests/CheckpointsTests/Fixtures

mkdir -p .build/fuzz-artifacts
sources=$(ls Sources/Checkpoints/*.swift | grep -v 'StoredTensor+Tensor.swift')
# shellcheck disable=SC2086
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name Checkpoints \
    $sources Fuzz/CheckpointFuzz.swift -o .build/checkpoint-fuzz

corpus="$(mktemp -d "${TMPDIR:-/tmp}/checkpoint-fuzz-corpus.XXXXXX")"
cp "$fixtures"/*.pt "$fixtures"/*.safetensors "$corpus"
for archive in "$fixtures"/small.pt "$fixtures"/wrapped.pt; do
    name=$(basename "$archive" .pt)
    python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sys.stdout.buffer.write(z.read(next(n for n in z.namelist() if n.endswith("/data.pkl"))))' \
        "$archive" > "$corpus/$name.data.pkl"
done
echo "corpus: $corpus ($(ls "$corpus" | wc -l) seed files)"

.build/checkpoint-fuzz "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -artifact_prefix=.build/fuzz-artifacts/ -print_final_stats=1 "$@"
