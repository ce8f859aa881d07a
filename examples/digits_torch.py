"""The network of digits.grad in PyTorch eager, for comparing training times.

Usage: python3 examples/digits_torch.py   (from the repository root; needs torch and numpy)

Same network (Conv2d(1, 8, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(128, 10)), data
(pixels / 16), loss (cross-entropy of the logits), optimizer (Adam, lr 0.01), batch 32 with the
remainder kept, 20 epochs with a shuffle each, in float64 on one thread. The initial parameters
and the shuffle are PyTorch's own, so the accuracy differs a little from gradc's run.
"""
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(1)
torch.set_default_dtype(torch.float64)


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x = torch.tensor(data[:, :64] / 16.0).reshape(-1, 1, 8, 8)
    y = torch.tensor(data[:, 64:].argmax(axis=1))
    return x, y


x, y = load("examples/data/digits.csv")
xt, yt = load("examples/data/digits-test.csv")
net = torch.nn.Sequential(
    torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(128, 10))
loss_fn = torch.nn.CrossEntropyLoss()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
start = time.perf_counter()
for epoch in range(20):
    order = torch.randperm(len(x))
    for i in range(0, len(x), 32):
        idx = order[i:i + 32]
        opt.zero_grad()
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
elapsed = time.perf_counter() - start
with torch.no_grad():
    accuracy = (net(xt).argmax(dim=1) == yt).double().mean().item()
print(f"trained 20 epochs in {elapsed:.2f} s, {20 * len(x) / elapsed:.0f} examples/s; "
      f"test accuracy {100 * accuracy:.2f}%")
