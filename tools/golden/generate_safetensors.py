#!/usr/bin/env python3
"""Writes the safetensors golden fixtures of nn's SafeTensorsTest, by hand from the format's spec.

Python's `safetensors` package is not installable here, so the files are laid out with struct and
json alone, following the format (https://huggingface.co/docs/safetensors) and its reference writer:

  8 bytes   N, the header's length, unsigned little-endian 64-bit
  N bytes   UTF-8 JSON: {"__metadata__": {...}, "NAME": {"dtype", "shape", "data_offsets": [begin, end]}, ...}
            padded with spaces to a multiple of 8
  the rest  the tensors' little-endian C-order bytes, covering the buffer exactly

mlp.safetensors is laid out exactly as the reference writer (safetensors.torch.save_file) lays it out:
tensors sorted by dtype (widest first) then name, compact JSON, `__metadata__` first, padded to 8. grad4j's
writer must reproduce it byte for byte. mixed.safetensors is a legal file no reference writer makes:
header order differs from buffer order, F64 and F32 together, a scalar, an empty tensor, extra padding.
expected.json lists every tensor's dtype, shape and values (and each file's metadata).

Run from the repository's root: /usr/bin/python3 tools/golden/generate_safetensors.py
"""
import json
import os
import struct

OUT = os.path.join("nn", "src", "test", "resources", "golden", "safetensors")
FMT = {"F32": "<f", "F64": "<d"}


def values(count, seed):
    # multiples of 1/8, exact in float32 and float64
    return [((i * 5 + seed * 3) % 17 - 8) / 8.0 for i in range(count)]


def size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def pack(dtype, vals):
    return b"".join(struct.pack(FMT[dtype], v) for v in vals)


def reference_layout(tensors, metadata):
    """tensors: {name: (dtype, shape, values)}; the reference writer's exact bytes."""
    width = {"F64": 8, "F32": 4}
    order = sorted(tensors, key=lambda n: (-width[tensors[n][0]], n.encode("utf-8")))
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    data = b""
    for name in order:
        dtype, shape, vals = tensors[name]
        raw = pack(dtype, vals)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def mixed_layout(tensors):
    """Header keys in the given order, data in reverse order, 13 extra spaces of padding."""
    names = list(tensors)
    offsets = {}
    data = b""
    for name in reversed(names):
        dtype, shape, vals = tensors[name]
        raw = pack(dtype, vals)
        offsets[name] = [len(data), len(data) + len(raw)]
        data += raw
    header = {n: {"dtype": tensors[n][0], "shape": tensors[n][1], "data_offsets": offsets[n]} for n in names}
    text = json.dumps(header, indent=1).encode("utf-8") + b" " * 13
    return struct.pack("<Q", len(text)) + text + data


def main():
    os.makedirs(OUT, exist_ok=True)
    mlp = {}
    for k, (name, shape) in enumerate([("0.weight", [4, 3]), ("0.bias", [4]), ("2.weight", [2, 4]), ("2.bias", [2])]):
        mlp[name] = ("F32", shape, values(size(shape), k))
    mlp_meta = {"format": "pt"}
    mixed = {
        "layer.scale": ("F32", [3], values(3, 7)),
        "double": ("F64", [2, 2], [0.1, -2.5, 1e-300, 3.0]),
        "scalar": ("F32", [], [0.75]),
        "empty": ("F32", [0, 3], []),
    }
    with open(os.path.join(OUT, "mlp.safetensors"), "wb") as f:
        f.write(reference_layout(mlp, mlp_meta))
    with open(os.path.join(OUT, "mixed.safetensors"), "wb") as f:
        f.write(mixed_layout(mixed))
    expected = {
        "mlp.safetensors": {"metadata": mlp_meta,
                            "tensors": {n: {"dtype": d, "shape": s, "values": v} for n, (d, s, v) in mlp.items()}},
        "mixed.safetensors": {"metadata": {},
                              "tensors": {n: {"dtype": d, "shape": s, "values": v} for n, (d, s, v) in mixed.items()}},
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
