#!/usr/bin/env python3
"""Writes the small Fashion-MNIST subset the inference tests ship (src/test/resources/fashion-mnist-subset/).

Source: Debian's dataset-fashion-mnist (IDX gz under /usr/share/datasets/fashion-mnist/; install it with
`apt-get install -y dataset-fashion-mnist`). Fashion-MNIST is (c) Zalando SE, MIT licence.
Takes the first TRAIN images of the training set and the first TEST of the test set, unchanged, as IDX gz.
"""
import gzip
import struct
import sys
from pathlib import Path

SOURCE = Path("/usr/share/datasets/fashion-mnist")
TRAIN, TEST = 1200, 600


def subset(name, count, out):
    with gzip.open(SOURCE / name, "rb") as f:
        magic = f.read(4)
        dims = magic[3]
        shape = list(struct.unpack(">" + "I" * dims, f.read(4 * dims)))
        per_item = 1
        for d in shape[1:]:
            per_item *= d
        body = f.read(count * per_item)
    shape[0] = count
    # mtime=0: the same bytes on every run
    with gzip.GzipFile(out / name, "wb", mtime=0) as g:
        g.write(magic + struct.pack(">" + "I" * dims, *shape) + body)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/fashion-mnist-subset")
    out.mkdir(parents=True, exist_ok=True)
    for kind, count in (("train", TRAIN), ("t10k", TEST)):
        subset(f"{kind}-images-idx3-ubyte.gz", count, out)
        subset(f"{kind}-labels-idx1-ubyte.gz", count, out)


if __name__ == "__main__":
    main()
