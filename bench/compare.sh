#!/usr/bin/env bash
# gradc's training step next to PyTorch eager (one thread) on W2 B=32, W2 B=256 and W3, in one run:
# gradc with the Vector API module, gradc on a plain JVM, the hand-written Java step, and PyTorch
# in float64 and float32; gradc in f64 and in f32. Prints examples/s (medians), the ratios of gradc
# f64 to PyTorch f64 and of gradc f32 to PyTorch f32, then each f64 figure in GFLOP/s and as a fraction of the machine's f64 GEMM peak on both cores, measured in
# the same run (a 1024³ torch.matmul on OpenBLAS, one and two threads).
#   bench/compare.sh            (≈ 7 minutes; REPS=7 JMH iterations and PyTorch repetitions)
# PyTorch: TORCH_PYTHON, else the first of /usr/bin/python3 and python3 that imports torch.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
reps="${REPS:-7}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
torch_python=""
for py in ${TORCH_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch' 2>/dev/null; then
    torch_python="$py"
    break
  fi
done
if [ -z "$torch_python" ]; then
  echo "PyTorch not found; on Debian or Ubuntu: apt-get install -y python3-torch libopenblas0-pthread" >&2
fi
(cd "$here/.." && mvn -q -B install -DskipTests)
(cd "$here" && mvn -q -B package)
cd "$here"
jmh=(java -jar target/benchmarks.jar Steps -p workload=W2_32,W2_256,W3 -p precision=f64,f32
  -wi 3 -i "$reps" -f 1 -rf json)
"${jmh[@]}" -rff "$out/vector.json" >/dev/null 2>&1
# The harness forks with --add-modules; replacing its JVM arguments gives the plain JVM.
"${jmh[@]}" -jvmArgsAppend -Xss1m -rff "$out/plain.json" >/dev/null 2>&1
: >"$out/torch.jsonl"
: >"$out/peak.jsonl"
if [ -n "$torch_python" ]; then
  # OpenBLAS picks its kernel from the CPU's identity and may fall back to a generic one on a
  # virtual CPU: PyTorch and the peak are measured as installed and with the AVX-512 or AVX2
  # kernel forced (the ceiling the machine has); the tables take PyTorch's faster run.
  forced=""
  if grep -qw avx512f /proc/cpuinfo; then forced=SkylakeX; elif grep -qw avx2 /proc/cpuinfo; then forced=Haswell; fi
  for coretype in "" $forced; do
    env ${coretype:+OPENBLAS_CORETYPE=$coretype} OMP_NUM_THREADS=1 \
      "$torch_python" python/torch_steps.py --reps "$reps" W2_32 W2_256 W3 >>"$out/torch.jsonl"
  done
  for coretype in "" $forced; do
    for t in 1 2; do
      env ${coretype:+OPENBLAS_CORETYPE=$coretype} OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
        "$torch_python" python/gemm_peak.py --threads "$t" --reps "$reps" >>"$out/peak.jsonl"
    done
  done
fi
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
batch = {"W2_32": 32, "W2_256": 256, "W3": 64}
# floating-point operations per training step (forward, backward, update)
flop = {"W2_32": 13.3e6, "W2_256": 105e6, "W3": 25.1e6}
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
    key = (r["workload"], r["precision"])
    torch[key] = max(torch.get(key, 0), r["examples_per_s"])
peaks = [json.loads(line) for line in open(os.path.join(out, "peak.jsonl"))]
def fmt(v):
    return "—" if v is None else f"{v:,.0f}"
def ratio(a, b):
    return "—" if a is None or b is None else f"{a / b:.2f}×"
print("| workload (examples/s) | gradc, Vector API | gradc, plain JVM | hand-written Java | PyTorch f64 | PyTorch f32 | Vector / PyTorch f64 | plain / PyTorch f64 | gradc f32, Vector API | gradc f32, plain JVM | Vector f32 / PyTorch f32 | plain f32 / PyTorch f32 |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
figures = {}
for w in batch:
    v, p, h = vec.get((w, "gradc")), plain.get((w, "gradc")), vec.get((w, "hand"))
    t64, t32 = torch.get((w, "f64")), torch.get((w, "f32"))
    figures[w] = (v, p, h, t64, t32)
    v32, p32 = vec.get((w, "gradc_f32")), plain.get((w, "gradc_f32"))
    print(f"| {w} | {fmt(v)} | {fmt(p)} | {fmt(h)} | {fmt(t64)} | {fmt(t32)} | {ratio(v, t64)} | {ratio(p, t64)} "
          f"| {fmt(v32)} | {fmt(p32)} | {ratio(v32, t32)} | {ratio(p32, t32)} |")
print()
for r in peaks:
    print(f"f64 GEMM peak, {r['size']}³ torch.matmul on {r['blas']}, {r['threads']} thread(s): "
          f"{r['gflops']:.1f} GFLOP/s (min–max {r['min']:.1f}–{r['max']:.1f})")
# a loaded machine can make two threads slower than one: the peak is the best measured figure
two = max((r["gflops"] for r in peaks), default=None)
def gf(w, rate):
    if rate is None:
        return "—"
    g = rate / batch[w] * flop[w] / 1e9
    return f"{g:.1f}" + ("" if two is None else f" ({g / two:.0%})")
print()
print("| workload (GFLOP/s, % of the 2-core peak) | FLOP per step | gradc, Vector API | gradc, plain JVM | hand-written Java | PyTorch f64 | PyTorch f32 |")
print("|---|---|---|---|---|---|---|")
for w, rates in figures.items():
    print(f"| {w} | {flop[w] / 1e6:.1f} M | " + " | ".join(gf(w, r) for r in rates) + " |")
if two is not None:
    print(f"\n(the peak is the best of the figures above: {two:.1f} GFLOP/s; gradc uses both cores on W2_256 only)")
PY
