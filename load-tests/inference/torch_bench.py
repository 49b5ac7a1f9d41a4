#!/usr/bin/env python3
"""PyTorch side of the inference benchmark (load-tests/reports/inference.md).

Builds the Fashion-MNIST MLP 784-256-128-10 (seeded), saves it as TorchScript returning (logits, penultimate) for the
DJL side to load — the same model and weights on both sides — and measures samples/s of the per-sample work of an
inference worker: forward pass, embeddings h, loss and the closed-form last-layer gradient
g = (softmax(z) - onehot(y)) (x) [h; 1], batch 256, one intra-op thread (as the DJL worker runs here).

Needs Debian's python3-torch (`apt-get install -y python3-torch`); run with /usr/bin/python3.
Usage: torch_bench.py OUT_DIR [BATCH] [BATCHES] [ROUNDS]   writes OUT_DIR/mlp784.pt and OUT_DIR/torch.json
"""
import json
import sys
import time
from pathlib import Path
from typing import Tuple

import torch
from torch import nn


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU())
        self.head = nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.trunk(x)
        return self.head(h), h


def vectors(model, x, y):
    logits, h = model(x)
    e = torch.softmax(logits, dim=1)
    e[torch.arange(x.shape[0]), y] -= 1.0
    h1 = torch.cat([h, torch.ones(x.shape[0], 1)], dim=1)
    g = (e.unsqueeze(2) * h1.unsqueeze(1)).reshape(x.shape[0], -1)
    loss = torch.nn.functional.cross_entropy(logits, y, reduction="none")
    return g, h, loss


def main():
    out = Path(sys.argv[1])
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    batches = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    # Timed rounds; the median is reported (the 2 cores are shared with other builds).
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(2026)
    model = torch.jit.script(Mlp().eval())
    model.save(str(out / "mlp784.pt"))
    x = torch.rand(batch, 784)
    y = torch.randint(0, 10, (batch,))
    with torch.no_grad():
        for _ in range(20):
            vectors(model, x, y)
        rates = []
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(batches):
                g, h, loss = vectors(model, x, y)
            rates.append(batch * batches / (time.perf_counter() - start))
    assert g.shape == (batch, 10 * 129)
    result = {"torch_version": torch.__version__, "threads": torch.get_num_threads(), "batch": batch,
              "batches": batches, "rounds": rates, "samples_per_s": sorted(rates)[len(rates) // 2]}
    (out / "torch.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
