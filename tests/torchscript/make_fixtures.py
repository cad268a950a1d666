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
    """Each Linear's and Conv2d's weight (a Conv2d's as its kernel matrix, view(out, -1)) and
    bias as .npy, in order, for the -l comparison and the reader's tests."""
    layers = [m for m in module.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    for i, layer in enumerate(layers, 1):
        w = layer.weight.detach()
        np.save(os.path.join(out, f"{name}_w{i}.npy"), w.reshape(w.shape[0], -1).numpy())
        if layer.bias is not None:
            np.save(os.path.join(out, f"{name}_b{i}.npy"), layer.bias.detach().numpy())


def lenet_like():
    """LeNet-5's layer kinds in miniature, for a 1 x 12 x 12 input: conv 5x5 -> 4x8x8, ReLU,
    pool -> 4x4x4, conv 3x3 padding 1 -> 6x4x4, pool -> 6x2x2, ReLU after the pooling, flatten,
    fully connected 24 -> 5."""
    return nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3, padding=1), nn.MaxPool2d(2, stride=2), nn.ReLU(),
                         nn.Flatten(), nn.Dropout(0.5), nn.Linear(24, 5))


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
        "lenet_like": lenet_like(),
    }
    refused = {
        "functional": Functional(),
        "conv": nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 4)),
        "conv_groups": nn.Sequential(nn.Conv2d(2, 2, 3, groups=2)),
        "conv_dilated": nn.Sequential(nn.Conv2d(1, 2, 3, dilation=2)),
        "pool_padded": nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(3, padding=1)),
        "pool_ceil": nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2, ceil_mode=True)),
        "flatten_all": nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(0)),
        "conv_unchained": nn.Sequential(nn.Conv2d(1, 2, 3), nn.Conv2d(3, 2, 3)),
        "avgpool": nn.Sequential(nn.Conv2d(1, 2, 3), nn.AvgPool2d(2)),
        "unchained": nn.Sequential(nn.Linear(16, 12), nn.ReLU(), nn.Linear(10, 4)),
        "empty": nn.Sequential(nn.ReLU()),
    }
    for name, module in {**accepted, **refused}.items():
        torch.jit.script(module.eval()).save(os.path.join(out, f"{name}.pt"))
    for name, module in accepted.items():
        save_layers(module, out, name)
    # A traced CNN keeps its Conv2d's settings only in its graph: refused, naming torch.jit.script.
    torch.jit.trace(lenet_like().eval(), torch.zeros(1, 1, 12, 12)).save(
        os.path.join(out, "lenet_traced.pt"))
    # The scripted CNN's output for one input, for eie compress + eie infer against PyTorch.
    x = torch.rand(2, 1, 12, 12)
    with torch.no_grad():
        np.save(os.path.join(out, "lenet_like_x.npy"), x.reshape(2, -1).numpy())
        np.save(os.path.join(out, "lenet_like_x4.npy"), x.numpy())  # as PyTorch holds it: NCHW
        np.save(os.path.join(out, "lenet_like_y.npy"), accepted["lenet_like"](x).numpy())
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
