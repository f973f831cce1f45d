"""Writes the benchmark tensors and their manifest.

Shapes: every Conv and Gemm weight of torchvision's ResNet-50 and VGG-16 (read from
the graph-only ONNX fixtures, one tensor per distinct shape with its layer count),
filled with He-normal values whose output- and input-channel unfoldings have a
decaying spectrum. Real weights: every non-depthwise Conv and the Gemm of
EfficientNet-Lite0.

Usage: make_tensors.py FIXTURES OUT [--no-real]
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def weight_shapes(path):
    model = onnx.load(path, load_external_data=False)
    typed = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in model.graph.input}
    typed.update({i.name: list(i.dims) for i in model.graph.initializer})
    for node in model.graph.node:
        if node.op_type in ("Conv", "Gemm"):
            shape = typed[node.input[1]]
            trans_b = any(a.name == "transB" and a.i == 1 for a in node.attribute)
            if node.op_type == "Gemm" and not trans_b:
                shape = shape[::-1]
            yield node.op_type, shape


def he_decaying(shape, rng):
    """He-normal weights scaled by 1 / (1 + 10 i / n) along the two channel modes."""
    fan_in = int(np.prod(shape[1:]))
    w = rng.standard_normal(shape, dtype=np.float64)
    for mode in (0, 1):
        n = shape[mode]
        scale = 1.0 / (1.0 + 10.0 * np.arange(n) / n)
        w *= scale.reshape([-1 if m == mode else 1 for m in range(len(shape))])
    w *= np.sqrt(2.0 / fan_in) * np.sqrt(w.size) / np.linalg.norm(w)
    return w.astype(np.float32)


def main():
    fixtures, out = sys.argv[1], sys.argv[2]
    real = "--no-real" not in sys.argv
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2015)
    entries = []
    for model in ("resnet50", "vgg16_bn"):
        counts = {}
        for op, shape in weight_shapes(os.path.join(fixtures, "torchvision", f"{model}.graph.onnx")):
            counts.setdefault((op, tuple(shape)), 0)
            counts[(op, tuple(shape))] += 1
        for (op, shape), count in counts.items():
            name = f"{model.split('_')[0]}-{'x'.join(map(str, shape))}"
            path = os.path.join(out, name + ".npy")
            if not os.path.exists(path):
                np.save(path, he_decaying(list(shape), rng))
            entries.append({"name": name, "file": path, "shape": list(shape), "kind": op.lower(),
                            "count": count, "source": f"{model} (He-normal, decaying spectrum)"})
    if real:
        model = onnx.load(os.path.join(fixtures, "real", "efficientnet-lite0.onnx"))
        weights = {i.name: i for i in model.graph.initializer}
        for node in model.graph.node:
            if node.op_type not in ("Conv", "Gemm") or node.input[1] not in weights:
                continue
            w = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
            if node.op_type == "Conv" and w.shape[1] == 1:
                continue  # depthwise: nothing to factorize across channels
            name = f"effnet-{len([e for e in entries if e['name'].startswith('effnet')]):02d}-{'x'.join(map(str, w.shape))}"
            path = os.path.join(out, name + ".npy")
            np.save(path, np.ascontiguousarray(w))
            entries.append({"name": name, "file": path, "shape": list(w.shape), "kind": node.op_type.lower(),
                            "count": 1, "source": "efficientnet-lite0 (real)"})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(entries, f, indent=1)
    print(f"{len(entries)} tensors in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
