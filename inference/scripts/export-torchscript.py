#!/usr/bin/env python3
"""Exports the TorchScript test model: an MLP 784-32-16-10 whose forward returns (logits, penultimate features),
scripted the way a PyTorch shop ships a model, plus inputs and the outputs Python computes for them.

Needs Debian's python3-torch (`apt-get install -y python3-torch`; run with /usr/bin/python3).
Writes src/test/resources/torchscript/mlp.pt and expected.json. Seeded: the same files on every run of the same torch.
"""
import json
import sys
from pathlib import Path
from typing import Tuple

import torch
from torch import nn


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU())
        self.head = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.trunk(x)
        return self.head(h), h


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/torchscript")
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(1234)
    module = torch.jit.script(Mlp().eval())
    module.save(str(out / "mlp.pt"))
    x = torch.rand(4, 784)
    with torch.no_grad():
        logits, h = module(x)
    expected = {"torch": torch.__version__, "inputs": x.tolist(), "logits": logits.tolist(), "embeddings": h.tolist()}
    (out / "expected.json").write_text(json.dumps(expected))


if __name__ == "__main__":
    main()
