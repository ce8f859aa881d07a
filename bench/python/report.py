"""Prints the tables of bench/run.sh from the measurements it left in one directory.

Usage: python3 report.py [--targets] [--torch-missing HINT] DIR
DIR holds the JMH results of the Steps benchmark (vector-*.json with the Vector API module,
plain-*.json without it, both with -prof gc), PyTorch's steps (torch.jsonl) and the GEMM peak
(peak.jsonl), and for --targets also Neuron forks (neuron.json) and start-up (startup.jsonl).
--targets prints the table of the targets first, each with its figures and met / not met;
then come the detailed tables (examples/s, ratios to PyTorch, GFLOP/s and % of the peak).
Every figure is a median over the measured iterations or runs.
"""
import argparse
import glob
import json
import os
import statistics

BATCH = {"W2_32": 32, "W2_256": 256, "W3": 64}
LABEL = {"W1": "W1", "W2_1": "W2 B=1", "W2_32": "W2 B=32", "W2_256": "W2 B=256", "W3": "W3"}
# floating-point operations per training step (forward, backward, update)
FLOP = {"W2_32": 13.3e6, "W2_256": 105e6, "W3": 25.1e6}
# JMH's -prof gc counts what every thread allocates during an iteration, its own harness
# included (about 6 KB per iteration, whatever the benchmark's speed). The harness's share of a
# JVM's run is taken as the least any step's iteration allocated there (the fastest step has the
# most steps to show an allocation of its own); a step allocates nothing when what is left is
# below the smallest object, 16 bytes per op (an op of W1 is 5000 steps, of the others one).
SMALLEST_OBJECT = 16


def median(values):
    return statistics.median(values) if values else None


def flat(raw):
    return [v for fork in raw for v in fork]


def jmh(out, jvm):
    """(workload, benchmark, precision) -> the result's record, for every Steps result of a JVM."""
    results = {}
    for path in sorted(glob.glob(os.path.join(out, jvm + "-*.json"))):
        for r in json.load(open(path)):
            key = (r["params"]["workload"], r["benchmark"].rsplit(".", 1)[1], r["params"]["precision"])
            results[key] = r
    return results


def rate(results, w, bench, precision):
    """Examples per second: the median step time over the measured iterations."""
    r = results.get((w, bench, precision))
    return None if r is None else BATCH[w] / (median(flat(r["primaryMetric"]["rawData"])) * 1e-6)


def allocation(results):
    """(workload, precision, B/op, B/op beyond the harness) of each gradc step, medians."""
    steps = []
    for (w, bench, precision), r in results.items():
        if bench != "gradc":
            continue
        seconds = float(r["measurementTime"].split()[0])
        ops = [seconds * 1e6 / t for t in flat(r["primaryMetric"]["rawData"])]
        norms = flat(r["secondaryMetrics"]["gc.alloc.rate.norm"]["rawData"])
        steps.append((w, precision, norms, ops))
    # bytes per iteration: B/op times the ops of the iteration
    harness = min((median([b * n for b, n in zip(norms, ops)]) for _, _, norms, ops in steps), default=0)
    return [(w, p, median(norms), median([max(0.0, b - harness / n) for b, n in zip(norms, ops)]))
            for w, p, norms, ops in steps]


def jsonl(out, name):
    path = os.path.join(out, name)
    return [json.loads(line) for line in open(path)] if os.path.exists(path) else []


def fmt(v):
    return "—" if v is None else f"{v:,.0f}"


def ratio(a, b):
    return None if a is None or b is None else a / b


def fx(v):
    return "—" if v is None else f"{v:.2f}×"


def verdict(failed, measured=True):
    if not measured:
        return "not measured"
    return "met" if not failed else "not met (" + ", ".join(failed) + ")"


def torch_row(label, jmh_results, precision, torch, minima, missing):
    """A target row: gradc over PyTorch at the same precision, one minimum ratio per workload."""
    figures, failed = [], []
    for w, least in minima.items():
        r = ratio(rate(jmh_results, w, "gradc", precision), torch.get((w, precision)))
        figures.append(f"{LABEL[w]} {fx(r)}")
        if r is None or r < least:
            failed.append(LABEL[w])
    target = " / ".join(f"≥ {m:.1f}×" for m in minima.values()) + f" PyTorch {precision}"
    figure = "not measured: " + missing if torch == {} else ", ".join(figures)
    return label, figure, target, verdict(failed, torch != {})


def neuron_row(out):
    path = os.path.join(out, "neuron.json")
    if not os.path.exists(path):
        return "W4 (one neuron)", "not measured", "≤ 1.5× the hand-written call", "not measured"
    forks = {r["benchmark"].rsplit(".", 1)[1]: [median(f) for f in r["primaryMetric"]["rawData"]]
             for r in json.load(open(path))}
    ratios = [g / h for g, h in zip(forks["gradc"], forks["hand"])]
    figure = (f"gradc / hand per fork {', '.join(f'{r:.2f}×' for r in ratios)} "
              f"(gradc {', '.join(f'{g:.1f}' for g in forks['gradc'])} ns; "
              f"hand {', '.join(f'{h:.1f}' for h in forks['hand'])} ns); worst {max(ratios):.2f}×")
    return ("W4 (one neuron), Vector API", figure, "≤ 1.5× the hand-written call in every fork",
            verdict([] if max(ratios) <= 1.5 else ["worst fork"]))


def startup_row(out):
    records = {r["what"]: r for r in jsonl(out, "startup.jsonl")}
    if set(records) != {"eval", "first_compile"}:
        return "start-up", "not measured", "", "not measured"
    ev, fc = records["eval"]["ms"], records["first_compile"]["ms"]
    cpu = [median(records[w].get("cpu_ms") or [float("nan")]) for w in ("eval", "first_compile")]
    figure = (f"eval {median(ev) / 1e3:.2f} s ({min(ev) / 1e3:.2f}–{max(ev) / 1e3:.2f}), "
              f"first compile {median(fc):.0f} ms ({min(fc):.0f}–{max(fc):.0f}); runs: {len(ev)} and {len(fc)}, "
              f"alternating; process CPU {cpu[0] / 1e3:.2f} s and {cpu[1]:.0f} ms")
    failed = (["eval"] if median(ev) > 500 else []) + (["first compile"] if median(fc) > 300 else [])
    return ("`gradc eval` on XOR as a process, second run; first `Gradc.compile` in a cold JVM",
            figure, "≤ 0.5 s; ≤ 300 ms", verdict(failed))


def allocation_row(vec, plain):
    rows = [(jvm, *a) for jvm, res in (("Vector API", vec), ("plain JVM", plain)) for a in allocation(res)]
    if not rows:
        return "every warm training step, f64 and f32", "not measured", "allocates nothing", "not measured"
    worst = max(rows, key=lambda a: a[4])
    failed = [f"{LABEL[w]} {p}, {jvm}: {own:,.0f} B/op" for jvm, w, p, norm, own in rows if own >= SMALLEST_OBJECT]
    workloads = ", ".join(LABEL[w] for w in LABEL if any(r[1] == w for r in rows))
    jvms = " and ".join(dict.fromkeys(r[0] for r in rows))
    figure = (f"{len(rows)} steps ({workloads}; f64, f32; {jvms}): at most {worst[4]:,.1f} B/op "
              f"beyond the harness's share ({LABEL[worst[1]]} {worst[2]}, {worst[0]}; JMH's figure {worst[3]:,.1f} B/op)")
    return ("every warm training step, f64 and f32", figure,
            f"allocates nothing: < {SMALLEST_OBJECT} B/op beyond JMH's own", verdict(failed))


def targets(out, vec, plain, torch, peak, missing):
    rows = [
        torch_row("plain JVM, f64: W2 B=32, W2 B=256 (both cores), W3", plain, "f64", torch,
                  {"W2_32": 1.0, "W2_256": 1.0, "W3": 1.0}, missing),
        torch_row("Vector API, f64: W2 B=32 / B=256 / W3", vec, "f64", torch,
                  {"W2_32": 2.0, "W2_256": 1.5, "W3": 2.5}, missing),
        torch_row("Vector API, f32: W2 B=32 / B=256 / W3", vec, "f32", torch,
                  {"W2_32": 1.5, "W2_256": 1.2, "W3": 2.0}, missing),
    ]
    if peak is None:
        rows.append(("W2 B=256 f64, both cores", "not measured: " + missing,
                     "≥ 60 % of the 2-core OpenBLAS GEMM peak", "not measured"))
    else:
        share = {jvm: None if r is None else r / 256 * FLOP["W2_256"] / 1e9 / peak
                 for jvm, r in (("Vector API", rate(vec, "W2_256", "gradc", "f64")),
                                ("plain JVM", rate(plain, "W2_256", "gradc", "f64")))}
        figure = ", ".join(f"{jvm} {'—' if s is None else f'{s:.0%}'}" for jvm, s in share.items())
        best = max((s for s in share.values() if s is not None), default=None)
        rows.append(("W2 B=256 f64, both cores", f"{figure} of {peak:.1f} GFLOP/s",
                     "≥ 60 % of the 2-core OpenBLAS GEMM peak",
                     verdict([] if best is not None and best >= 0.6 else ["below 60 %"])))
    rows += [neuron_row(out), startup_row(out), allocation_row(vec, plain)]
    print("| target | measured (medians) | target | met |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nAllocation: JMH's gc.alloc.rate.norm counts every thread's allocation during an iteration, "
          "its harness's ≈ 6 KB included. Taking the least any step's iteration allocated in the same JVM "
          f"as the harness's share, a step allocates nothing when less than {SMALLEST_OBJECT} B per op "
          "(the smallest object) is left.\n")


def detail(vec, plain, torch, peaks):
    print("| workload (examples/s) | gradc, Vector API | gradc, plain JVM | hand-written Java | PyTorch f64 | PyTorch f32 | Vector / PyTorch f64 | plain / PyTorch f64 | gradc f32, Vector API | gradc f32, plain JVM | Vector f32 / PyTorch f32 | plain f32 / PyTorch f32 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    figures = {}
    for w in BATCH:
        v, p, h = rate(vec, w, "gradc", "f64"), rate(plain, w, "gradc", "f64"), rate(vec, w, "hand", "f64")
        t64, t32 = torch.get((w, "f64")), torch.get((w, "f32"))
        figures[w] = (v, p, h, t64, t32)
        v32, p32 = rate(vec, w, "gradc", "f32"), rate(plain, w, "gradc", "f32")
        print(f"| {LABEL[w]} | {fmt(v)} | {fmt(p)} | {fmt(h)} | {fmt(t64)} | {fmt(t32)} | {fx(ratio(v, t64))} "
              f"| {fx(ratio(p, t64))} | {fmt(v32)} | {fmt(p32)} | {fx(ratio(v32, t32))} | {fx(ratio(p32, t32))} |")
    print()
    for r in peaks:
        how = f"forced by OPENBLAS_CORETYPE={r['forced']}" if r.get("forced") else "as installed"
        print(f"- f64 GEMM peak, {r['size']}³ torch.matmul on {r['blas']} ({how}), {r['threads']} thread(s): "
              f"{r['gflops']:.1f} GFLOP/s (min–max {r['min']:.1f}–{r['max']:.1f})")
    two = peak_of(peaks)

    def gf(w, rate):
        if rate is None:
            return "—"
        g = rate / BATCH[w] * FLOP[w] / 1e9
        return f"{g:.1f}" + ("" if two is None else f" ({g / two:.0%})")
    print()
    print("| workload (GFLOP/s, % of the 2-core peak) | FLOP per step | gradc, Vector API | gradc, plain JVM | hand-written Java | PyTorch f64 | PyTorch f32 |")
    print("|---|---|---|---|---|---|---|")
    for w, rates in figures.items():
        print(f"| {LABEL[w]} | {FLOP[w] / 1e6:.1f} M | " + " | ".join(gf(w, r) for r in rates) + " |")
    if two is not None:
        print(f"\n(the peak is the best of the figures above: {two:.1f} GFLOP/s; gradc uses both cores on W2 B=256 only)")


def peak_of(peaks):
    """A loaded machine can make two threads slower than one: the peak is the best figure measured."""
    return max((r["gflops"] for r in peaks), default=None)


def allocation_table(vec, plain):
    print("\n| warm step, allocation (`-prof gc`) | Vector API, B/op | beyond the harness | plain JVM, B/op | beyond the harness |")
    print("|---|---|---|---|---|")
    by = {jvm: {(w, p): (n, own) for w, p, n, own in allocation(res)} for jvm, res in (("v", vec), ("p", plain))}
    for key in sorted(set(by["v"]) | set(by["p"]), key=lambda k: (k[1] != "f64", list(LABEL).index(k[0]))):
        cells = [by[j].get(key) for j in ("v", "p")]
        print(f"| {LABEL[key[0]]} {key[1]} | " + " | ".join(
            "— | —" if c is None else f"{c[0]:,.1f} | {c[1]:,.1f}" for c in cells) + " |")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--targets", action="store_true")
    p.add_argument("--torch-missing", default="PyTorch not found")
    p.add_argument("out")
    a = p.parse_args()
    vec, plain = jmh(a.out, "vector"), jmh(a.out, "plain")
    torch = {}
    for r in jsonl(a.out, "torch.jsonl"):
        key = (r["workload"], r["precision"])
        torch[key] = max(torch.get(key, 0), r["examples_per_s"])
    peaks = jsonl(a.out, "peak.jsonl")
    if a.targets:
        targets(a.out, vec, plain, torch, peak_of(peaks), a.torch_missing)
    detail(vec, plain, torch, peaks)
    allocation_table(vec, plain)


if __name__ == "__main__":
    main()
