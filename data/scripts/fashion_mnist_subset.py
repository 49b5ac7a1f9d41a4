#!/usr/bin/env python3
"""Stratified, seeded subset of Fashion-MNIST from Debian's dataset-fashion-mnist, written back as IDX gz.

Takes TRAIN_PER_CLASS images of every class from the train split and TEST_PER_CLASS from the test split, drawn
with numpy's PCG64 at SEED, kept in their original order. gzip mtime is 0 so a re-run gives identical bytes.
"""
import gzip
import os
import struct
import subprocess
import sys

import numpy as np

SRC = "/usr/share/datasets/fashion-mnist"
SEED = 20260101
TRAIN_PER_CLASS = 600
TEST_PER_CLASS = 200
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fashion-mnist")


def ensure_installed():
    if not os.path.exists(os.path.join(SRC, "train-images-idx3-ubyte.gz")):
        subprocess.run(["apt-get", "install", "-y", "dataset-fashion-mnist"], check=True)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def write_idx(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(header + array.tobytes())


def subset(images, labels, per_class, rng):
    keep = []
    for c in range(10):
        idx = np.flatnonzero(labels == c)
        keep.append(rng.choice(idx, size=per_class, replace=False))
    keep = np.sort(np.concatenate(keep))
    return images[keep], labels[keep]


def main():
    ensure_installed()
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(SEED))
    for split, prefix, per_class in (("train", "train", TRAIN_PER_CLASS), ("test", "t10k", TEST_PER_CLASS)):
        images = read_idx(os.path.join(SRC, f"{prefix}-images-idx3-ubyte.gz"))
        labels = read_idx(os.path.join(SRC, f"{prefix}-labels-idx1-ubyte.gz"))
        sub_images, sub_labels = subset(images, labels, per_class, rng)
        write_idx(os.path.join(OUT, f"{split}-images-idx3-ubyte.gz"), sub_images)
        write_idx(os.path.join(OUT, f"{split}-labels-idx1-ubyte.gz"), sub_labels)
        print(f"{split}: {len(sub_labels)} images, {np.bincount(sub_labels, minlength=10).tolist()} per class")


if __name__ == "__main__":
    main()
