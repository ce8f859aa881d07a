#!/usr/bin/env bash
# Builds gradc and the JMH module, then runs benchmarks. Three forms:
#   bench/run.sh targets   the performance targets: one table, each target with its figures
#                          (medians) and met / not met, then the detailed tables of `compare`
#                          and the bytes each warm step allocates (≈ 10 minutes at REPS=7)
#   bench/run.sh compare   gradc's steps next to PyTorch eager (one thread) on W2 B=32, W2 B=256
#                          and W3, with and without the Vector API module, in f64 and f32; the
#                          hand-written step; GFLOP/s and the machine's GEMM peak (≈ 7 minutes)
#   bench/run.sh [ARGS]    JMH's own table of all benchmarks, W0–W4 (≈ 4 minutes); ARGS are JMH
#                          arguments, e.g. `bench/run.sh Steps -p workload=W3`
# REPS (default 7) is the number of JMH iterations, PyTorch repetitions and start-up runs (those
# at least 15).
# PyTorch: TORCH_PYTHON, else the first of /usr/bin/python3 and python3 that imports torch; when
# none does, the rows that need it say "not measured" and the install line is printed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
mode="${1:-}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Maven's output (and the colour codes that -q still prints) only when a build fails.
build() {
  if ! (cd "$1" && shift && mvn -q -B "$@") >"$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    exit 1
  fi
}
build "$root" install -DskipTests
build "$here" package
cd "$here"
if [ "$mode" != targets ] && [ "$mode" != compare ]; then
  java --add-modules jdk.incubator.vector -jar target/benchmarks.jar "$@" 2>&1 \
    | grep -v "^WARNING: Using incubator modules"
  exit
fi

reps="${REPS:-7}"
started=$SECONDS
torch_python=""
for py in ${TORCH_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch' 2>/dev/null; then
    torch_python="$py"
    break
  fi
done
install_torch="apt-get install -y python3-torch libopenblas0-pthread"
if [ -z "$torch_python" ]; then
  echo "PyTorch not found; on Debian or Ubuntu: $install_torch (or set TORCH_PYTHON)" >&2
fi

# One JMH run into $out/NAME.json; its log is printed only when it fails. JMH refuses to start
# while another JMH run holds its lock (the two would disturb each other's figures): wait for
# it, up to 20 minutes.
jmh() {
  local name="$1" waited=0
  shift
  until java -jar target/benchmarks.jar "$@" -rf json -rff "$out/$name.json" >"$out/$name.log" 2>&1; do
    if grep -q "Unable to acquire the JMH lock" "$out/$name.log" && [ "$waited" -lt 1200 ]; then
      [ "$waited" -eq 0 ] && echo "bench/run.sh: waiting for another JMH run to finish" >&2
      sleep 15
      waited=$((waited + 15))
      continue
    fi
    tail -n 30 "$out/$name.log" >&2
    echo "bench/run.sh: JMH failed: $*" >&2
    exit 1
  done
}

# Steps: gradc in f64 and f32 (with the workloads W1 and W2 B=1 for the allocation check of the
# targets), the hand-written step once (it is f64 whatever the precision). The harness forks
# with --add-modules; -jvmArgsAppend replaces that and gives the plain JVM.
workloads=W2_32,W2_256,W3
[ "$mode" = targets ] && workloads=W1,W2_1,$workloads
steps=(-p "workload=$workloads" -p precision=f64,f32 -wi 3 -i "$reps" -f 1 -prof gc)
jmh vector-gradc 'Steps.gradc$' "${steps[@]}"
jmh vector-hand 'Steps.hand$' -p workload=W2_32,W2_256,W3 -p precision=f64 -wi 3 -i "$reps" -f 1
jmh plain-gradc 'Steps.gradc$' "${steps[@]}" -jvmArgsAppend -Xss1m

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

report=(python3 python/report.py --torch-missing "PyTorch not found ($install_torch)")
if [ "$mode" = targets ]; then
  # W4 in several forks: a fork's JIT decisions decide the ratio, so the worst fork is the figure.
  jmh neuron Neuron -wi 3 -i "$reps" -f 3
  # Start-up: gradc's jar and runtime dependencies as the launcher runs them, and FirstCompile.
  python3 python/startup.py --root "$root" --reps "$reps" \
    --classpath "$root/target/gradc-0.1.0-SNAPSHOT.jar:$root/target/lib/*:$here/target/classes" \
    >"$out/startup.jsonl"
  report+=(--targets)
fi
"${report[@]}" "$out"
echo
echo "(measured in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s, REPS=$reps)"
