"""PyTorch eager training steps for the reference workloads, one thread, as a user writes them:
nn.Sequential, a loss module, optim.SGD; zero_grad, forward, loss, backward, step.

Usage: python3 torch_steps.py [--reps 7] [--seconds 1] WORKLOAD...   (W2_32 W2_256 W3)
Prints one JSON line per workload and precision: median examples/s over the repetitions.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn


def model(workload):
    if workload.startswith("W2"):
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), nn.CrossEntropyLoss(), 784
    layers = []
    for _ in range(16):
        layers += [nn.Linear(64, 64), nn.Tanh()]
    layers.append(nn.Linear(64, 1))
    return nn.Sequential(*layers), nn.MSELoss(), 64


def batch_of(workload):
    return int(workload.split("_")[1]) if workload.startswith("W2") else 64


def run(workload, dtype, reps, seconds):
    torch.manual_seed(0)
    net, loss_fn, inputs = model(workload)
    net = net.to(dtype)
    b = batch_of(workload)
    x = torch.randn(b, inputs, dtype=dtype)
    y = torch.randint(0, 10, (b,)) if workload.startswith("W2") else torch.randn(b, 1, dtype=dtype)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    rates = []
    for _ in range(reps):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            step()
            n += 1
        rates.append(n * b / (time.perf_counter() - start))
    return statistics.median(rates)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("workloads", nargs="+")
    a = p.parse_args()
    torch.set_num_threads(1)
    for w in a.workloads:
        for name, dt in (("f64", torch.float64), ("f32", torch.float32)):
            rate = run(w, dt, a.reps, a.seconds)
            print(json.dumps({"workload": w, "precision": name, "examples_per_s": rate}), flush=True)


if __name__ == "__main__":
    main()
