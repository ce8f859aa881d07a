"""Writes digits.csv and digits-test.csv from scikit-learn's copy of the UCI optdigits test set.

Usage: python3 make_digits.py PATH/TO/sklearn/datasets/data/digits.csv.gz

The 1,797 images are shuffled with Python's random.Random(19) and split 80/20: the first 1,437
go to digits.csv (training), the other 360 to digits-test.csv (held out). Pixels stay the
integers 0..16 of the source; the digit becomes the one-hot target y[0..9].
"""
import gzip
import random
import sys

rows = [l.strip().split(",") for l in gzip.open(sys.argv[1], "rt") if l.strip()]
assert len(rows) == 1797 and all(len(r) == 65 for r in rows)
random.Random(19).shuffle(rows)
header = [f"img[0][{i}][{j}]" for i in range(8) for j in range(8)] + [f"y[{k}]" for k in range(10)]
for name, part in (("digits.csv", rows[:1437]), ("digits-test.csv", rows[1437:])):
    with open(name, "w") as f:
        f.write(",".join(header) + "\n")
        for r in part:
            f.write(",".join(r[:64] + ["1" if k == int(r[64]) else "0" for k in range(10)]) + "\n")
