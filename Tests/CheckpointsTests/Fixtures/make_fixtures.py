"""Writes the checkpoint fixtures of CheckpointsTests with torch (run once, commit the output).

Usage: python make_fixtures.py   (needs torch and numpy; writes into this script's folder)

small.pt          zip format (torch >= 1.6)
small-legacy.pt   legacy format (_use_new_zipfile_serialization=False)
wrapped.pt        zip format, {'epoch': 3, 'state_dict': <the same tensors>}
small.safetensors written byte by byte below, without the safetensors package
expected.json     per tensor: shape, element type and the float32 bit patterns of its
                  values in row-major order, as torch widens them with .float()
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def state_dict():
    base = torch.arange(10, dtype=torch.float32) * 0.25 - 1.0
    matrix = torch.tensor([[1.5, -2.0, 3.25], [0.0, -0.0, 1e-3]], dtype=torch.float32)
    half = torch.tensor([1.0, -0.5, 6.1e-5, 5.96e-8, -0.0, float("inf"), 65504.0], dtype=torch.float16)
    # A module's state_dict() carries the `_metadata` attribute, which the pickle sets by BUILD.
    tensors = torch.nn.Linear(3, 2).state_dict()
    tensors.update(
        [
            ("conv.weight", matrix),
            ("conv.half", half),
            ("conv.bfloat", torch.tensor([1.0, -3.140625, 1e-20, 3e38], dtype=torch.bfloat16)),
            ("bn.num_batches_tracked", torch.tensor(12345, dtype=torch.int64)),
            ("transposed", matrix.t()),
            ("shared_a", base[2:5]),
            ("shared_b", base[4:10].view(2, 3)),
            ("empty", torch.zeros(0, 3)),
        ]
    )
    return tensors


def expected(tensors):
    return {
        name: {
            "shape": list(t.shape),
            "type": str(t.dtype).replace("torch.", ""),
            "bits": t.float().contiguous().numpy().view(np.uint32).ravel().tolist(),
        }
        for name, t in tensors.items()
    }


def write_safetensors(path):
    tensors = [
        ("a.f32", "F32", [2, 2], struct.pack("<4f", 1.0, -2.5, 0.125, 7.0)),
        ("b.f16", "F16", [3], np.array([1.0, -0.25, 6.1e-5], dtype=np.float16).tobytes()),
        ("c.bf16", "BF16", [2], struct.pack("<2H", 0x3F80, 0xC049)),
        ("d.i64", "I64", [], struct.pack("<q", -42)),
    ]
    header, offset, data = {"__metadata__": {"format": "pt"}}, 0, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def main():
    torch.manual_seed(0)
    tensors = state_dict()
    torch.save(tensors, os.path.join(HERE, "small.pt"))
    torch.save(tensors, os.path.join(HERE, "small-legacy.pt"), _use_new_zipfile_serialization=False)
    torch.save({"epoch": 3, "state_dict": tensors}, os.path.join(HERE, "wrapped.pt"))
    write_safetensors(os.path.join(HERE, "small.safetensors"))
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected(tensors), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
