#!/usr/bin/env python3
"""Writes spirals.csv: two interleaved spirals, a classic non-linear binary classification task.

Deterministic: the same script always writes the same file (Python's Mersenne Twister with a
fixed seed; numbers rounded to 6 decimals). Run from anywhere:

    python3 examples/data/make_spirals.py            # writes examples/data/spirals.csv

Class 0 follows the spiral r = t / T, angle t (t from 0.5 to T = 2.5*pi, i.e. about 1.25
turns); class 1 is the same spiral rotated by pi. Each point gets uniform noise in
[-0.02, 0.02] on both coordinates. Columns: x[0], x[1] (the point) and y[0] (the class, 0 or 1).
"""
import math
import os
import random

POINTS_PER_CLASS = 100
T = 2.5 * math.pi
NOISE = 0.02
SEED = 20240601


def main():
    rnd = random.Random(SEED)
    rows = []
    for i in range(POINTS_PER_CLASS):
        t = 0.5 + (T - 0.5) * i / (POINTS_PER_CLASS - 1)
        r = t / T
        for cls in (0, 1):
            angle = t + cls * math.pi
            x0 = r * math.cos(angle) + rnd.uniform(-NOISE, NOISE)
            x1 = r * math.sin(angle) + rnd.uniform(-NOISE, NOISE)
            rows.append((x0, x1, cls))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spirals.csv")
    with open(path, "w", newline="\n") as f:
        f.write("x[0],x[1],y[0]\n")
        for x0, x1, cls in rows:
            f.write("%.6f,%.6f,%d\n" % (x0, x1, cls))


if __name__ == "__main__":
    main()
