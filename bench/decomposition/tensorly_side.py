"""Runs TensorLy 0.10 (NumPy backend, one BLAS thread) with the ranks the Swift
side chose, and prints one JSON object per (tensor, method).

Usage: OPENBLAS_NUM_THREADS=1 tensorly_side.py MANIFEST SWIFT_RESULTS [--cp-iterations N]
"""
import json
import sys
import time

import numpy as np
import tensorly as tl
from tensorly.decomposition import parafac, partial_tucker, tensor_ring, tensor_train, tensor_train_matrix
from tensorly.tenalg import multi_mode_dot
from tensorly.tenalg.svd import svd_interface

tl.set_backend("numpy")


def relative_error(x, reconstruction):
    x = x.astype(np.float64)
    return float(np.linalg.norm(x - reconstruction.astype(np.float64)) / np.linalg.norm(x))


def timed(function):
    """CPU seconds of this process, like the Swift side: runs shorter than 0.1 s
    are repeated (up to 20 runs in 0.5 s) and the minimum is kept."""
    best, spent = float("inf"), 0.0
    for _ in range(20):
        start = time.process_time()
        result = function()
        elapsed = time.process_time() - start
        best, spent = min(best, elapsed), spent + elapsed
        if best >= 0.1 or spent >= 0.5:
            break
    return result, best


def run(x, row, cp_iterations):
    method, ranks = row["method"], row["ranks"]
    if method == "cp":
        cp, seconds = timed(lambda: parafac(x, rank=ranks[0], n_iter_max=cp_iterations, init="svd", tol=0))
        return seconds, relative_error(x, tl.cp_to_tensor(cp))
    if method == "tucker2":
        (core_factors, _), seconds = timed(
            lambda: partial_tucker(x, rank=ranks, modes=[0, 1], n_iter_max=100, tol=1e-4, init="svd"))
        core, factors = core_factors
        return seconds, relative_error(x, multi_mode_dot(core, factors, modes=[0, 1]))
    if method == "tt":
        tt, seconds = timed(lambda: tensor_train(x, rank=ranks))
        return seconds, relative_error(x, tl.tt_to_tensor(tt))
    if method == "tr":
        tr, seconds = timed(lambda: tensor_ring(x, rank=ranks + [ranks[0]]))
        return seconds, relative_error(x, tl.tr_to_tensor(tr))
    if method == "svd":
        (u, s, v), seconds = timed(lambda: svd_interface(x, n_eigenvecs=ranks[0]))
        return seconds, relative_error(x, (u * s) @ v)
    if method == "ttm":
        shape = row["outputShape"] + row["inputShape"]
        tensor = x.reshape(shape)
        tt, seconds = timed(lambda: tensor_train_matrix(tensor, rank=ranks))
        return seconds, relative_error(x, tl.tt_matrix_to_tensor(tt).reshape(x.shape))
    raise ValueError(f"unknown method {method}")


def main():
    manifest = {e["name"]: e for e in json.load(open(sys.argv[1]))}
    cp_iterations = int(sys.argv[sys.argv.index("--cp-iterations") + 1]) if "--cp-iterations" in sys.argv else 20
    rows = [json.loads(line) for line in open(sys.argv[2]) if line.startswith("{")]
    cache = {}
    for row in rows:
        name = row["name"]
        if name not in cache:
            cache.clear()
            cache[name] = np.load(manifest[name]["file"])
        seconds, error = run(cache[name], row, cp_iterations)
        print(json.dumps({"name": name, "method": row["method"], "ranks": row["ranks"],
                          "seconds": seconds, "error": error}), flush=True)


if __name__ == "__main__":
    main()
