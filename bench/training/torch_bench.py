"""Training throughput of PyTorch (CPU) on an ONNX model's own graph.

Usage: torch_bench.py MODEL THREADS BATCH STEPS WARMUP
Builds a torch module that computes the ONNX graph (Conv, Relu, Clip, Add, MaxPool,
AveragePool, GlobalAveragePool, Flatten, Gemm, BatchNormalization) with every float
initializer as a trainable parameter. Trains it with Nesterov SGD (momentum 0.9, weight
decay 5e-4) on seeded random images and labels. Prints one JSON line: median images per
second over STEPS steps after WARMUP steps, and the peak resident set size (MiB).
"""
import json
import resource
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def padding(attrs, rank=2):
    pads = list(attrs.get("pads", [0] * (2 * rank)))
    return pads[:rank], pads[rank:]


class OnnxModule(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.graph = model.graph
        self.weights = torch.nn.ParameterDict()
        self.names = {}
        for index, tensor in enumerate(self.graph.initializer):
            key = f"p{index}"
            self.names[tensor.name] = key
            self.weights[key] = torch.nn.Parameter(torch.from_numpy(numpy_helper.to_array(tensor).copy()))

    def value(self, values, name):
        return self.weights[self.names[name]] if name in self.names else values[name]

    def forward(self, image):
        values = {self.graph.input[0].name: image}
        for node in self.graph.node:
            inputs = [self.value(values, name) if name else None for name in node.input]
            values[node.output[0]] = self.run(node, inputs, attributes(node))
        return values[self.graph.output[0].name]

    def run(self, node, x, a):
        op = node.op_type
        if op == "Conv":
            begin, end = padding(a)
            data = x[0]
            if begin != end:
                data = F.pad(data, [begin[1], end[1], begin[0], end[0]])
                begin = [0, 0]
            return F.conv2d(data, x[1], x[2] if len(x) > 2 else None, a.get("strides", [1, 1]), begin,
                            a.get("dilations", [1, 1]), a.get("group", 1))
        if op == "Relu":
            return F.relu(x[0])
        if op == "Clip":
            return torch.clamp(x[0], x[1].item() if x[1] is not None else None,
                               x[2].item() if len(x) > 2 and x[2] is not None else None)
        if op == "Add":
            return x[0] + x[1]
        if op in ("MaxPool", "AveragePool"):
            begin, end = padding(a)
            assert begin == end, "asymmetric pooling pads are not supported here"
            pool = F.max_pool2d if op == "MaxPool" else F.avg_pool2d
            return pool(x[0], a["kernel_shape"], a.get("strides", [1, 1]), begin, ceil_mode=bool(a.get("ceil_mode", 0)))
        if op == "GlobalAveragePool":
            return x[0].mean(dim=(2, 3), keepdim=True)
        if op == "Flatten":
            return torch.flatten(x[0], a.get("axis", 1))
        if op == "Gemm":
            weight = x[1].t() if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (x[0] @ weight)
            return y + a.get("beta", 1.0) * x[2] if len(x) > 2 and x[2] is not None else y
        if op == "BatchNormalization":
            return F.batch_norm(x[0], x[3].detach(), x[4].detach(), x[1], x[2], training=True,
                                momentum=1 - a.get("momentum", 0.9), eps=a.get("epsilon", 1e-5))
        raise ValueError(f"torch_bench.py does not handle {op} (node {node.name})")


def main():
    path, threads, batch, steps, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    model = onnx.load(path)
    module = OnnxModule(model)
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
    rng = np.random.default_rng(1)
    images = torch.from_numpy(rng.standard_normal([batch] + dims).astype(np.float32))
    labels = torch.from_numpy(rng.integers(0, 10, batch))
    decayed = [p for p in module.parameters() if p.dim() > 1]
    plain = [p for p in module.parameters() if p.dim() <= 1]
    optimizer = torch.optim.SGD([{"params": decayed, "weight_decay": 5e-4}, {"params": plain, "weight_decay": 0}],
                                lr=0.01, momentum=0.9, nesterov=True)
    rates = []
    for step in range(warmup + steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        F.cross_entropy(module(images), labels).backward()
        optimizer.step()
        if step >= warmup:
            rates.append(batch / (time.perf_counter() - start))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"images_per_s": round(float(np.median(rates)), 1), "peak_rss_mib": round(peak, 1)}))


if __name__ == "__main__":
    main()
