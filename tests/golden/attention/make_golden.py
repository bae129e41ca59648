#!/usr/bin/python3
"""Golden files for `edgefuse attend` from a real torch.nn.MultiheadAttention.

Each case directory holds what a user would have: the module's state_dict as
weights.safetensors (written by hand below: python3-safetensors is not in Debian
bookworm), the inputs query.npy, context.npy (and mask.npy), and PyTorch's results
out.npy and attn.npy. tests/firmware/attend_golden_test.cc runs the attend command on
them and compares.

Rerun with Debian's Python (toolchains/install-deps.sh golden installs python3-torch
and python3-numpy):

    /usr/bin/python3 tests/golden/attention/make_golden.py

The output is the same on every run (fixed seeds, PyTorch's default initialisation,
float32 on the CPU).
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# name, E, H, kdim (None = E), bias, Nq, Nk, mask dtype (None = no mask),
# per-head weights, batched ([1, N, D]) inputs, num_heads stored in the file
CASES = [
    ("packed", 32, 4, None, True, 5, 12, None, False, False, True),
    ("packed_masked_bool", 32, 4, None, True, 6, 10, "bool", False, False, True),
    ("kdim_masked_int8", 24, 3, 40, True, 4, 9, "int8", True, False, False),
    ("kdim_batched", 16, 2, 12, True, 3, 7, None, False, True, True),
    ("no_bias", 16, 4, None, False, 2, 5, "bool", True, False, True),
]


def write_safetensors(path, tensors, metadata):
    """The safetensors format: u64 header length, JSON header, raw little-endian data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main():
    for index, (name, e, heads, kdim, bias, nq, nk, mask_dtype, per_head, batched, store_heads) in enumerate(CASES):
        torch.manual_seed(1000 + index)
        module = torch.nn.MultiheadAttention(e, heads, bias=bias, batch_first=True, kdim=kdim, vdim=kdim).eval()
        query = torch.randn(1, nq, e)
        context = torch.randn(1, nk, kdim or e)
        mask = None
        if mask_dtype is not None:
            mask = torch.rand(1, nk) < 0.3
            mask[0, nk // 2] = False  # at least one key to attend to
        with torch.no_grad():
            out, attn = module(query, context, context, key_padding_mask=mask, need_weights=True,
                               average_attn_weights=not per_head)

        directory = os.path.join(HERE, name)
        os.makedirs(directory, exist_ok=True)
        write_safetensors(os.path.join(directory, "weights.safetensors"), module.state_dict(),
                          {"num_heads": str(heads)} if store_heads else {})
        squeeze = (lambda t: t.numpy()) if batched else (lambda t: t[0].numpy())
        np.save(os.path.join(directory, "query.npy"), squeeze(query).astype(np.float32))
        np.save(os.path.join(directory, "context.npy"), squeeze(context).astype(np.float32))
        if mask is not None:
            np.save(os.path.join(directory, "mask.npy"), mask[0].numpy().astype(mask_dtype))
        np.save(os.path.join(directory, "out.npy"), squeeze(out).astype(np.float32))
        np.save(os.path.join(directory, "attn.npy"), squeeze(attn).astype(np.float32))
        print(f"{name}: E={e} H={heads} kdim={kdim or e} Nq={nq} Nk={nk} mask={mask_dtype} "
              f"per_head={per_head} batched={batched} -> {directory}")


if __name__ == "__main__":
    main()
