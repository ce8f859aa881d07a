"""Start-up: `gradc eval` on XOR as a process, and the first Gradc.compile in a cold JVM.

Usage: python3 startup.py --root ROOT --classpath CP [--reps 7]
ROOT is the checkout (its ./gradc launcher, examples/ and tests/); CP the class path of gradc's
jar, its runtime dependencies and the bench classes (org.gradc.bench.FirstCompile).
`gradc eval` runs once untimed, which fills the launcher's class cache and class-data archive,
then --reps times: the wall time of each process. The cold compile runs in --reps fresh
`java -cp` JVMs with default flags, each printing the milliseconds of its first compile.
Prints two JSON lines, {"what": "eval" | "first_compile", "ms": [...]}.
"""
import argparse
import json
import subprocess
import sys
import time


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
    wall = []
    for _ in range(a.reps):
        start = time.perf_counter()
        run(["./gradc", "eval", *xor])
        wall.append((time.perf_counter() - start) * 1e3)
    print(json.dumps({"what": "eval", "ms": wall}), flush=True)
    compile_ms = [float(run(["java", "-cp", a.classpath, "org.gradc.bench.FirstCompile", xor[0]]))
                  for _ in range(a.reps)]
    print(json.dumps({"what": "first_compile", "ms": compile_ms}), flush=True)


if __name__ == "__main__":
    main()
