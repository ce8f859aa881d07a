"""Start-up: `gradc eval` on XOR as a process, and the first Gradc.compile in a cold JVM.

Usage: python3 startup.py --root ROOT --classpath CP [--reps 15]
ROOT is the checkout (its ./gradc launcher, examples/ and tests/); CP the class path of gradc's
jar, its runtime dependencies and the bench classes (org.gradc.bench.FirstCompile).
`gradc eval` runs once untimed, which fills the launcher's class cache and class-data archive;
then, --reps times (at least 15: single runs of a process this short spread widely on a shared
machine), alternately, `gradc eval` as a process (its wall time) and a fresh `java -cp` JVM
with default flags that prints the milliseconds of its first compile. Both also record the
process's CPU time (user + system).
Prints two JSON lines, {"what": "eval" | "first_compile", "ms": [...], "cpu_ms": [...]}.
"""
import argparse
import json
import os
import subprocess
import sys
import time

MIN_REPS = 15


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--classpath", required=True)
    p.add_argument("--reps", type=int, default=7)
    a = p.parse_args()
    xor = ["examples/xor.grad", "--values", "tests/resources/explain/xor.json"]

    def run(cmd):
        done = subprocess.run(cmd, cwd=a.root, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"startup.py: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
        return done.stdout

    run(["./gradc", "eval", *xor])
    runs = {"eval": ([], []), "first_compile": ([], [])}
    for _ in range(max(a.reps, MIN_REPS)):
        before = os.times()
        start = time.perf_counter()
        run(["./gradc", "eval", *xor])
        wall = (time.perf_counter() - start) * 1e3
        runs["eval"][0].append(wall)
        runs["eval"][1].append(child_cpu_ms(before))
        before = os.times()
        out = run(["java", "-cp", a.classpath, "org.gradc.bench.FirstCompile", xor[0]])
        runs["first_compile"][0].append(float(out))
        runs["first_compile"][1].append(child_cpu_ms(before))
    for what, (ms, cpu) in runs.items():
        print(json.dumps({"what": what, "ms": ms, "cpu_ms": cpu}), flush=True)


def child_cpu_ms(before):
    """CPU milliseconds of the child processes that ended since `before` (an os.times())."""
    now = os.times()
    return (now.children_user - before.children_user
            + now.children_system - before.children_system) * 1e3


if __name__ == "__main__":
    main()
