"""Joins the Swift and TensorLy result lines into a Markdown table.

Usage: report.py MANIFEST SWIFT_RESULTS TENSORLY_RESULTS COMMAND
"""
import json
import math
import platform
import subprocess
import sys

import numpy as np
import tensorly


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    return (f"{model}, {platform.system()} {platform.machine()}; {swift[0] if swift else 'swift ?'}; "
            f"NumPy {np.__version__}, TensorLy {tensorly.__version__}; one BLAS thread on each side")


def main():
    manifest = {e["name"]: e for e in json.load(open(sys.argv[1]))}
    ours = {(r["name"], r["method"], tuple(r["ranks"])): r for r in map(json.loads, open(sys.argv[2])) if r}
    theirs = {(r["name"], r["method"], tuple(r["ranks"])): r for r in map(json.loads, open(sys.argv[3])) if r}
    print("# Decomposition benchmark: Factorize vs TensorLy\n")
    print(f"Command: `{sys.argv[4]}`\n")
    print(f"Machine: {machine()}\n")
    print("Times are CPU seconds of the decomposition alone (error computation excluded); errors are "
          "‖X − X̂‖/‖X‖ in float64 from each side's own reconstruction of the same float32 tensor. "
          "`ok` means time ratio ≤ 0.5 and error ≤ TensorLy's + 1e-4.\n")
    print("| tensor | layers | method | ranks | params kept | Factorize s | TensorLy s | ratio | Factorize error | TensorLy error | ok |")
    print("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    summary = {}
    missing = []
    for key, row in ours.items():
        other = theirs.get(key)
        if other is None:
            missing.append(f"{row['name']} {row['method']}")
            continue
        ratio = row["seconds"] / max(other["seconds"], 1e-9)
        ok = ratio <= 0.5 and row["error"] <= other["error"] + 1e-4
        entry = summary.setdefault(row["method"], [0, 0, []])
        entry[0] += ok
        entry[1] += 1
        entry[2].append(ratio)
        print(f"| {row['name']} | {manifest[row['name']]['count']} | {row['method']} | {row['ranks']} | "
              f"{row['parameters'] / row['total']:.3f} | {row['seconds']:.4f} | {other['seconds']:.4f} | "
              f"{ratio:.3f} | {row['error']:.6f} | {other['error']:.6f} | {'ok' if ok else 'NO'} |")
    print("\n| method | rows ok | geometric mean time ratio | worst ratio |")
    print("| --- | ---: | ---: | ---: |")
    for method, (passed, total, ratios) in summary.items():
        mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"| {method} | {passed}/{total} | {mean:.3f} | {max(ratios):.3f} |")
    if missing:
        tensors = sorted({entry.split(" ")[0] for entry in missing})
        print(f"\nNo TensorLy result (run interrupted) for {len(missing)} rows of {len(tensors)} tensors: "
              f"{', '.join(tensors)}.")


if __name__ == "__main__":
    main()
