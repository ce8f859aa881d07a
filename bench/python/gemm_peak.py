"""The machine's f64 GEMM peak through PyTorch's BLAS (OpenBLAS): a 1024 x 1024 x 1024 torch.matmul.

Usage: python3 gemm_peak.py [--threads 1] [--reps 7] [--size 1024]
Run with OMP_NUM_THREADS / OPENBLAS_NUM_THREADS equal to --threads. Prints one JSON line: the
median GFLOP/s over the repetitions (each about 0.3 s of products), the BLAS kernel in use and
whether OPENBLAS_CORETYPE forced it.
"""
import argparse
import ctypes
import json
import os
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--size", type=int, default=1024)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    n = a.size
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, n, dtype=torch.float64, generator=g)
    y = torch.randn(n, n, dtype=torch.float64, generator=g)
    out = torch.empty(n, n, dtype=torch.float64)
    for _ in range(3):
        torch.matmul(x, y, out=out)
    flop = 2.0 * n ** 3
    rates = []
    for _ in range(a.reps):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < 0.3:
            torch.matmul(x, y, out=out)
            count += 1
        rates.append(count * flop / (time.perf_counter() - start) / 1e9)
    print(json.dumps({"threads": a.threads, "size": n, "gflops": statistics.median(rates),
                      "min": min(rates), "max": max(rates), "blas": blas_name(),
                      "forced": os.environ.get("OPENBLAS_CORETYPE", "")}), flush=True)


def blas_name():
    """OpenBLAS and the kernel it chose for this CPU (the library torch loaded), if it is OpenBLAS."""
    try:
        lib = ctypes.CDLL("libblas.so.3")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return "OpenBLAS " + lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return "not OpenBLAS"


if __name__ == "__main__":
    main()
