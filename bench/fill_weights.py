"""Turn a weight-free torchvision graph into a runnable model with random float32 weights.

Usage: python fill_weights.py GRAPH.onnx OUTPUT.onnx

Every graph input except the first (the image) becomes an initializer of its declared shape,
filled with standard normal values (seed 0), and leaves the list of graph inputs.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

source, target = sys.argv[1], sys.argv[2]
model = onnx.load(source)
rng = np.random.default_rng(0)
image, *weights = model.graph.input
for value in weights:
    shape = [dim.dim_value for dim in value.type.tensor_type.shape.dim]
    array = rng.standard_normal(shape, dtype=np.float32)
    model.graph.initializer.append(numpy_helper.from_array(array, value.name))
del model.graph.input[1:]
onnx.save(model, target)
