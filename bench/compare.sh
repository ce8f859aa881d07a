#!/usr/bin/env bash
# gradc's training step next to PyTorch eager (one thread) on W2 B=32, W2 B=256 and W3, in one run:
# gradc with the Vector API module, gradc on a plain JVM, the hand-written Java step, and PyTorch
# in float64 and float32; gradc in f64 and in f32. Prints examples/s (medians) and the ratios to
# PyTorch f64 (gradc f64) and to PyTorch f32 (gradc f32).
#   bench/compare.sh            (≈ 6 minutes; REPS=7 JMH iterations and PyTorch repetitions)
# PyTorch comes from Debian: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
reps="${REPS:-7}"
out="$(mktemp -d)"
(cd "$here/.." && mvn -q -B install -DskipTests)
(cd "$here" && mvn -q -B package)
cd "$here"
jmh=(java -jar target/benchmarks.jar Steps -p workload=W2_32,W2_256,W3 -p precision=f64,f32
  -wi 3 -i "$reps" -f 1 -rf json)
"${jmh[@]}" -rff "$out/vector.json" >/dev/null 2>&1
# The harness forks with --add-modules; replacing its JVM arguments gives the plain JVM.
"${jmh[@]}" -jvmArgsAppend -Xss1m -rff "$out/plain.json" >/dev/null 2>&1
torch_python=/usr/bin/python3
if "$torch_python" -c 'import torch' 2>/dev/null; then
  OMP_NUM_THREADS=1 "$torch_python" python/torch_steps.py --reps "$reps" W2_32 W2_256 W3 \
    >"$out/torch.jsonl"
else
  echo "PyTorch not found: apt-get install -y python3-torch libopenblas0-pthread" >&2
  : >"$out/torch.jsonl"
fi
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
batch = {"W2_32": 32, "W2_256": 256, "W3": 64}
def jmh(name):
    rates = {}
    for r in json.load(open(os.path.join(out, name))):
        w = r["params"]["workload"]
        bench = r["benchmark"].rsplit(".", 1)[1]
        # the hand-written step is f64 whatever the precision parameter
        if bench == "gradc" and r["params"].get("precision", "f64") == "f32":
            bench = "gradc_f32"
        rates.setdefault((w, bench), batch[w] / (r["primaryMetric"]["score"] * 1e-6))
    return rates
vec, plain = jmh("vector.json"), jmh("plain.json")
torch = {}
for line in open(os.path.join(out, "torch.jsonl")):
    r = json.loads(line)
    torch[(r["workload"], r["precision"])] = r["examples_per_s"]
def fmt(v):
    return "—" if v is None else f"{v:,.0f}"
def ratio(a, b):
    return "—" if a is None or b is None else f"{a / b:.2f}×"
print("| workload (examples/s) | gradc, Vector API | gradc, plain JVM | hand-written Java | PyTorch f64 | PyTorch f32 | Vector / PyTorch f64 | plain / PyTorch f64 | gradc f32, Vector API | gradc f32, plain JVM | Vector f32 / PyTorch f32 | plain f32 / PyTorch f32 |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for w in batch:
    v, p, h = vec.get((w, "gradc")), plain.get((w, "gradc")), vec.get((w, "hand"))
    v32, p32 = vec.get((w, "gradc_f32")), plain.get((w, "gradc_f32"))
    t64, t32 = torch.get((w, "f64")), torch.get((w, "f32"))
    print(f"| {w} | {fmt(v)} | {fmt(p)} | {fmt(h)} | {fmt(t64)} | {fmt(t32)} | {ratio(v, t64)} | {ratio(p, t64)} "
          f"| {fmt(v32)} | {fmt(p32)} | {ratio(v32, t32)} | {ratio(p32, t32)} |")
PY
rm -rf "$out"
