#!/usr/bin/env python3
"""TorchScript fixtures for the reader's tests (tests/train_test.cpp, TorchScript.*), written at
test time with Debian's python3-torch (scripts/setup.sh installs it): small seeded modules, the
shapes the reader takes and the ones it must refuse, and each accepted module's layers as .npy
files, so that `eie compress --torchscript` can be checked against `eie compress -l`.

usage: make_fixtures.py OUT_DIR
"""
import os
import sys

import numpy as np
import torch
from torch import nn


class Named(nn.Module):
    """A custom module whose forward calls its children in order: what the reader accepts."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 12)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(12, 4)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Functional(nn.Module):
    """ReLU computed in forward, not as a module: the reader must refuse it, not drop it."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 12)
        self.fc2 = nn.Linear(12, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def save_layers(module, out, name):
    """Each Linear's weight (and bias) as .npy, in order, for the -l comparison."""
    linears = [m for m in module.modules() if isinstance(m, nn.Linear)]
    for i, lin in enumerate(linears, 1):
        np.save(os.path.join(out, f"{name}_w{i}.npy"), lin.weight.detach().numpy())
        if lin.bias is not None:
            np.save(os.path.join(out, f"{name}_b{i}.npy"), lin.bias.detach().numpy())


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1)
    accepted = {
        "mlp": nn.Sequential(nn.Linear(16, 12), nn.ReLU(), nn.Linear(12, 8), nn.ReLU(),
                             nn.Linear(8, 4)),
        "nested": nn.Sequential(nn.Sequential(nn.Linear(16, 12), nn.ReLU()), nn.Dropout(0.5),
                                nn.Linear(12, 4, bias=False), nn.ReLU()),
        "named": Named(),
    }
    refused = {
        "functional": Functional(),
        "conv": nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 4)),
        "unchained": nn.Sequential(nn.Linear(16, 12), nn.ReLU(), nn.Linear(10, 4)),
        "empty": nn.Sequential(nn.ReLU()),
    }
    for name, module in {**accepted, **refused}.items():
        torch.jit.script(module.eval()).save(os.path.join(out, f"{name}.pt"))
    for name, module in accepted.items():
        save_layers(module, out, name)
    # Hostile files: a TorchScript archive cut short, and bytes that are no archive at all.
    with open(os.path.join(out, "mlp.pt"), "rb") as f:
        data = f.read()
    with open(os.path.join(out, "truncated.pt"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(out, "garbage.pt"), "wb") as f:
        f.write(b"PK\x03\x04" + bytes(range(256)) * 4)
    print(f"make_fixtures: {len(accepted) + len(refused) + 2} TorchScript files in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1])
