#!/usr/bin/env python3
"""TorchScript fixtures for the reader's tests (tests/train_test.cpp, TorchScript.*), written at
test time with Debian's python3-torch (scripts/setup.sh installs it): small seeded modules, the
shapes the reader takes and the ones it must refuse, and each accepted module's layers as .npy
files, so that `eie compress --torchscript` can be checked against `eie compress -l`.

With an MNIST folder (scripts/fetch_mnist.sh) it also trains a small 784-64-10 network for two
epochs and writes it as mnist784.pt with its test accuracy as PyTorch computes it
(mnist784_correct.txt: correct digits of the test split), for `eie deep-compress --torchscript`.

usage: make_fixtures.py OUT_DIR [MNIST_DIR]
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


def read_idx(path):
    """An IDX file's array (unsigned bytes), as scripts/mnist_to_idx.js writes them."""
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_model(out, mnist):
    """784-64-10 trained for two epochs on the training split; its correct test digits."""
    x = torch.tensor(read_idx(os.path.join(mnist, "train-images-idx3-ubyte")),
                     dtype=torch.float32).reshape(-1, 784) / 255
    y = torch.tensor(read_idx(os.path.join(mnist, "train-labels-idx1-ubyte")), dtype=torch.int64)
    xt = torch.tensor(read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte")),
                      dtype=torch.float32).reshape(-1, 784) / 255
    yt = torch.tensor(read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte")), dtype=torch.int64)
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for _ in range(2):
        for i in range(0, len(x), 64):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[i:i + 64]), y[i:i + 64]).backward()
            opt.step()
    with torch.no_grad():
        correct = int((model(xt).argmax(1) == yt).sum())
    torch.jit.script(model.eval()).save(os.path.join(out, "mnist784.pt"))
    with open(os.path.join(out, "mnist784_correct.txt"), "w") as f:
        f.write(f"{correct}\n")


def main(out, mnist=None):
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
    if mnist:
        torch.set_num_threads(1)
        mnist_model(out, mnist)
    print(f"make_fixtures: TorchScript files in {out}" + (", an MNIST model" if mnist else ""))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[-1])
    main(*sys.argv[1:])
