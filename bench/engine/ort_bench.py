"""Latency of ONNX Runtime (CPU execution provider) on one model, batch 1, 3x224x224.

Usage: ort_bench.py MODEL THREADS RUNS WARMUP [--no-optimize]
Prints one JSON line: median and minimum latency (ms) of RUNS runs after WARMUP runs, and the
peak resident set size of this process (MiB, including the Python interpreter and numpy).
"""
import json
import resource
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    model, threads, runs, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if "--no-optimize" in sys.argv:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    image = np.random.default_rng(5).uniform(-1, 1, (1, 3, 224, 224)).astype(np.float32)
    for _ in range(warmup):
        session.run(None, {name: image})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, {name: image})
        times.append((time.perf_counter() - start) * 1000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"median_ms": float(np.median(times)), "min_ms": min(times), "peak_rss_mib": round(peak, 1)}))


if __name__ == "__main__":
    main()
