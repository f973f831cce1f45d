#!/bin/sh
# Compiles LinearAlgebra, Decomposition and Benchmark.swift with -O into
# $1/decomposition-bench, one static library per module as SwiftPM would.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/.build/bench-decomposition}
mkdir -p "$BUILD"
FLAGS="-O -wmo -Xcc -march=x86-64-v3 -I $ROOT/Sources/CLinearAlgebra -I $BUILD"
swiftc $FLAGS -parse-as-library -emit-library -static -module-name LinearAlgebra \
    -emit-module-path "$BUILD/LinearAlgebra.swiftmodule" -o "$BUILD/libLinearAlgebra.a" "$ROOT"/Sources/LinearAlgebra/*.swift
swiftc $FLAGS -parse-as-library -emit-library -static -module-name Decomposition \
    -emit-module-path "$BUILD/Decomposition.swiftmodule" -o "$BUILD/libDecomposition.a" "$ROOT"/Sources/Decomposition/*.swift
swiftc $FLAGS -parse-as-library -L "$BUILD" -lDecomposition -lLinearAlgebra -lopenblas -llapacke \
    "$ROOT/bench/decomposition/Benchmark.swift" -o "$BUILD/decomposition-bench"
echo "$BUILD/decomposition-bench"
