/// Source of the Python helper that drives ONNX Runtime. It ships inside the binary, so the
/// backend needs no resource files, and runs as `python3 -c <source> <mode> ...`.
///
/// Modes:
/// - `probe`: prints the onnxruntime and numpy versions.
/// - `benchmark`: times `session.run` alone (inputs are created before timing) and prints the
///   per-run latencies, the timed wall time and the peak resident set size of the process.
/// - `run`: runs the model once on inputs given as raw little-endian files and writes the
///   outputs the same way.
///
/// Every mode prints one JSON object on standard output; failures print `{"error": ...}` and
/// exit with status 2.
enum OnnxRuntimeScript {
    static let source = #"""
import argparse
import json
import os
import sys
import time

ELEMENT_TYPES = {
    "tensor(float)": "float32", "tensor(double)": "float64", "tensor(float16)": "float16",
    "tensor(int64)": "int64", "tensor(int32)": "int32", "tensor(int8)": "int8",
    "tensor(uint8)": "uint8", "tensor(bool)": "bool",
}


def fail(message):
    print(json.dumps({"error": message}))
    sys.exit(2)


def peak_rss_bytes():
    # On Linux, getrusage's ru_maxrss keeps the high-water mark of the process image that
    # ran before execve, i.e. of the parent that spawned this interpreter, so VmHWM (the
    # peak of this image alone) is read instead.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # macOS reports bytes, other systems kibibytes.
    return peak if sys.platform == "darwin" else peak * 1024


def parse_shapes(items):
    shapes = {}
    for item in items:
        name, _, dims = item.rpartition("=")
        shapes[name] = [int(d) for d in dims.split("x")] if dims else []
    return shapes


def make_session(args):
    import onnxruntime as ort
    levels = {
        "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
        "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
    }
    options = ort.SessionOptions()
    options.graph_optimization_level = levels[args.optimization]
    if args.threads > 0:
        options.intra_op_num_threads = args.threads
    return ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])


def random_inputs(session, shapes, seed):
    import numpy as np
    rng = np.random.default_rng(seed)
    feeds = {}
    for meta in session.get_inputs():
        shape = shapes.get(meta.name)
        if shape is None:
            shape = [d if isinstance(d, int) and d > 0 else 1 for d in meta.shape]
        dtype = ELEMENT_TYPES.get(meta.type)
        if dtype is None:
            fail("input %s has unsupported type %s" % (meta.name, meta.type))
        if dtype.startswith("float"):
            feeds[meta.name] = rng.standard_normal(shape).astype(dtype)
        else:
            feeds[meta.name] = np.zeros(shape, dtype=dtype)
    return feeds


def benchmark(args):
    import onnxruntime as ort
    baseline = peak_rss_bytes()
    session = make_session(args)
    feeds = random_inputs(session, parse_shapes(args.shape), args.seed)
    for _ in range(args.warmup):
        session.run(None, feeds)

    latencies = []
    start = time.perf_counter()
    while len(latencies) < args.iterations or time.perf_counter() - start < args.duration:
        before = time.perf_counter_ns()
        session.run(None, feeds)
        latencies.append((time.perf_counter_ns() - before) / 1e6)
    elapsed = time.perf_counter() - start

    print(json.dumps({
        "onnxruntime_version": ort.__version__,
        "latencies_ms": latencies,
        "elapsed_s": elapsed,
        "peak_rss_bytes": peak_rss_bytes(),
        "peak_rss_before_session_bytes": baseline,
        "input_shapes": {name: list(value.shape) for name, value in feeds.items()},
        "providers": session.get_providers(),
    }))


def run(args):
    import numpy as np
    session = make_session(args)
    with open(args.manifest) as handle:
        manifest = json.load(handle)
    feeds = {}
    for entry in manifest["inputs"]:
        data = np.fromfile(entry["file"], dtype=np.dtype(entry["dtype"]).newbyteorder("<"))
        feeds[entry["name"]] = data.reshape(entry["shape"])
    outputs = []
    for index, (meta, value) in enumerate(zip(session.get_outputs(), session.run(None, feeds))):
        value = np.ascontiguousarray(value)
        path = os.path.join(args.output_dir, "output%d.bin" % index)
        value.astype(value.dtype.newbyteorder("<")).tofile(path)
        outputs.append({"name": meta.name, "shape": list(value.shape), "dtype": str(value.dtype), "file": path})
    print(json.dumps({"outputs": outputs}))


def probe(args):
    import numpy
    import onnxruntime
    print(json.dumps({"onnxruntime_version": onnxruntime.__version__, "numpy_version": numpy.__version__}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["probe", "benchmark", "run"])
    parser.add_argument("--model")
    parser.add_argument("--optimization", choices=["all", "extended", "basic", "disable"], default="all")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--duration", type=float, default=0.0)
    parser.add_argument("--shape", action="append", default=[])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--manifest")
    parser.add_argument("--output-dir")
    args = parser.parse_args()
    try:
        {"probe": probe, "benchmark": benchmark, "run": run}[args.mode](args)
    except SystemExit:
        raise
    except Exception as error:
        fail("%s: %s" % (type(error).__name__, error))


main()
"""#
}
