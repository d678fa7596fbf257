#!/usr/bin/env python3
"""Runs the PyTorch reference and grad4j's benchmarks alternately and prints the median ratios.

For every round and every workload it runs PyTorch (../../../shared/bench/torch_reference.py, or
this folder's torch_chain.py / torch_kernels.py for the curves), then grad4j once per backend, each
in its own process, so that one run's JIT, heap or thread pools never touch another's and a slow
spell of the machine falls on both sides. Both sides run without OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE (they put OpenBLAS, PyTorch's and ND4J's, on a kernel about 3x slower here).
Every process's peak RSS comes from the operating system (wait4's ru_maxrss), the same way for both
sides; grad4j also prints its peak heap after GC.

Usage, from the repository's root, after `./mvnw -q -B install -DskipTests`:

    /usr/bin/python3 tools/bench/alternate.py --rounds 5 --out bench/target/results.json
    /usr/bin/python3 tools/bench/alternate.py --rounds 3 --workloads op_overhead xor --backends simd
    /usr/bin/python3 tools/bench/alternate.py --baseline before/classpath.txt --no-reference --rounds 3

With --baseline, every grad4j run is paired with a run of the same workload and backend on the class
path in that file (say, jars saved before a change), and a second table gives after / before per
workload: a restructuring measured back to back.

It prints one Markdown table (median value per side, ratio, and which way is better) and writes
every raw number to --out; `Plots` (bench module) draws the curves from that file.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TORCH_REFERENCE = os.path.abspath(os.path.join(ROOT, "..", "shared", "bench", "torch_reference.py"))
SLOWING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
WORKLOADS = ["op_overhead", "xor", "mlp_mnist", "mlp_wide", "deep_chain", "sgemm", "digits", "transformer"]
CURVES = ["chain_curve", "gemm_curve", "kernels"]
# metrics where less is better; the others (rates, accuracy) are better higher
LOWER_IS_BETTER = {"us_per_op", "us_per_step", "s_total", "ms_per_step", "train_s", "us_per_call"}


def clean_env():
    return {k: v for k, v in os.environ.items() if k not in SLOWING}


def run(cmd, cwd=ROOT):
    """Runs cmd; returns (stdout lines, peak RSS in MB, seconds). Fails loudly, with the output."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed with exit code {p.returncode}:\n{out}")
    return out.splitlines(), usage.ru_maxrss / 1024.0, time.perf_counter() - start


def parse(lines):
    """`name metric value [metric value] [backend NAME]` lines -> {name: {metric: value}}."""
    result = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 3 or len(parts) % 2 == 0:
            continue
        metrics = {}
        try:
            for k, v in zip(parts[1::2], parts[2::2]):
                if k != "backend":
                    metrics[k] = float(v)
        except ValueError:
            continue
        result[parts[0]] = metrics
    return result


def classpath(given=None):
    """The bench module's class path: the file given, else computed once by Maven and cached in bench/target."""
    if given:
        with open(given) as f:
            return f.read().strip()
    cached = os.path.join(ROOT, "bench", "target", "classpath.txt")
    if not os.path.exists(cached):
        run(["./mvnw", "-q", "-B", "-o", "-pl", "bench", "dependency:build-classpath", f"-Dmdep.outputFile={cached}"])
    with open(cached) as f:
        return os.path.join(ROOT, "bench", "target", "classes") + os.pathsep + f.read().strip()


def grad4j(cp, workload, backend, warmup, jvm_args=()):
    cmd = ["java", "--add-modules", "jdk.incubator.vector", *jvm_args, "-cp", cp, "dev.grad4j.bench.Workloads",
           "--backends", backend, "--warmup-seconds", str(warmup), "--memory", workload]
    lines, rss, _ = run(cmd)
    return parse(lines), rss


def torch(workload):
    if workload == "chain_curve":
        cmd = ["/usr/bin/python3", os.path.join(ROOT, "tools", "bench", "torch_chain.py")]
    elif workload in ("gemm_curve", "kernels"):
        cmd = ["/usr/bin/python3", os.path.join(ROOT, "tools", "bench", "torch_kernels.py"), workload]
    else:
        cmd = ["/usr/bin/python3", TORCH_REFERENCE, workload]
    lines, rss, _ = run(cmd)
    return parse(lines), rss


def require_openblas():
    """PyTorch at its best: Debian's PyTorch uses whatever libblas.so.3 is installed, and the reference
    BLAS it falls back to runs GEMM at a few GFLOP/s (apt-get install libopenblas0-pthread)."""
    probe = ("import torch; a = torch.rand(64, 64); a @ a; "
             "print(any('openblas' in l for l in open('/proc/self/maps')))")
    p = subprocess.run(["/usr/bin/python3", "-c", probe], capture_output=True, text=True, env=clean_env())
    if p.stdout.strip() != "True":
        sys.exit("PyTorch does not run on OpenBLAS here (install libopenblas0-pthread): its GEMM would run at a few "
                 "GFLOP/s and every ratio would flatter grad4j. " + p.stderr.strip()[-300:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--backends", default="simd,ejml,nd4j")
    ap.add_argument("--workloads", nargs="*", default=WORKLOADS + CURVES)
    ap.add_argument("--warmup-seconds", type=float, default=3)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "target", "results.json"))
    ap.add_argument("--classpath", help="a file holding the class path to run grad4j's Workloads from "
                                        "(default: bench/target/classes and Maven's class path)")
    ap.add_argument("--baseline", help="a class-path file to pair every grad4j run with (before/after)")
    ap.add_argument("--no-reference", action="store_true", help="skip PyTorch (for --baseline comparisons)")
    ap.add_argument("--jvm-args", default="", help="extra JVM options for grad4j's runs, space-separated")
    args = ap.parse_args()
    backends = args.backends.split(",")
    jvm_args = args.jvm_args.split()
    if not args.no_reference:
        require_openblas()
    cp = classpath(args.classpath)
    base_cp = classpath(args.baseline) if args.baseline else None

    # raw[side][line][metric] = [values...]; side is "pytorch" or a backend; rss[side][workload] = [MB...]
    raw, rss, heap = {}, {}, {}

    def record(side, workload, lines, peak):
        for name, metrics in lines.items():
            if name == "memory":
                for k, v in metrics.items():
                    heap.setdefault(side, {}).setdefault(workload, {}).setdefault(k, []).append(v)
                continue
            for k, v in metrics.items():
                raw.setdefault(side, {}).setdefault(name, {}).setdefault(k, []).append(v)
        rss.setdefault(side, {}).setdefault(workload, []).append(peak)

    for r in range(args.rounds):
        for w in args.workloads:
            if not args.no_reference:
                lines, peak = torch(w)
                if w == "sgemm":  # the reference prints its line as sgemm_2048
                    lines = {"sgemm": v for v in lines.values()}
                record("pytorch", w, lines, peak)
            for b in backends:
                # with a baseline, the two class paths take turns at going first, so neither always
                # meets the machine right after the other's run
                sides = [(base_cp, b + "@baseline"), (cp, b)] if base_cp else [(cp, b)]
                for path, side in (sides if r % 2 == 0 else sides[::-1]):
                    lines, peak = grad4j(path, w, b, args.warmup_seconds, jvm_args)
                    record(side, w, lines, peak)
            print(f"round {r + 1}/{args.rounds}: {w} done", file=sys.stderr, flush=True)

    medians = {side: {name: {k: statistics.median(v) for k, v in ms.items()} for name, ms in lines.items()}
               for side, lines in raw.items()}
    out = {
        "machine": {"cpu": cpu_name(), "cores": os.cpu_count(), "python": platform.python_version(),
                    "java": java_version(), "torch": torch_version()},
        "settings": {"rounds": args.rounds, "backends": backends, "warmup_seconds": args.warmup_seconds,
                     "jvm_args": jvm_args, "baseline": args.baseline,
                     "dropped_env": list(SLOWING), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())},
        "raw": raw, "medians": medians,
        "peak_rss_mb": {s: {w: statistics.median(v) for w, v in ws.items()} for s, ws in rss.items()},
        "jvm_memory_mb": {s: {w: {k: statistics.median(v) for k, v in ms.items()} for w, ms in ws.items()}
                          for s, ws in heap.items()},
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    os.replace(tmp, args.out)
    if not args.no_reference:
        print(table(out, backends))
    if base_cp:
        print(baseline_table(out, backends))


def baseline_table(out, backends):
    """After / before per workload, metric and backend (medians of the paired runs)."""
    med = out["medians"]
    rows = ["| workload | metric | backend | before | after | after vs before |", "|---|---|---|---|---|---|"]
    for b in backends:
        before, after = med.get(b + "@baseline", {}), med.get(b, {})
        for name in sorted(set(before) | set(after), key=order):
            for m in sorted(set(before.get(name, {})) | set(after.get(name, {}))):
                v, t = after.get(name, {}).get(m), before.get(name, {}).get(m)
                rows.append(f"| {name} | {m} | {b} | {fmt(t)} | {fmt(v)} | {ratio(v, t, m)} |")
    return "\n".join(rows)


def table(out, backends):
    med, ref = out["medians"], out["medians"].get("pytorch", {})
    rows = ["| workload | metric | PyTorch | " + " | ".join(f"{b} | {b} vs PyTorch" for b in backends) + " |",
            "|---|---|---|" + "---|---|" * len(backends)]
    names = sorted({n for side in med.values() for n in side}, key=order)
    for name in names:
        metrics = sorted({m for side in med.values() for m in side.get(name, {})})
        for m in metrics:
            t = ref.get(name, {}).get(m)
            cells = [name, m, fmt(t)]
            for b in backends:
                v = med.get(b, {}).get(name, {}).get(m)
                cells += [fmt(v), ratio(v, t, m)]
            rows.append("| " + " | ".join(cells) + " |")
    rows.append("")
    rows.append("| workload | PyTorch peak RSS, MB | " + " | ".join(f"{b} peak RSS, MB (heap after GC)" for b in backends) + " |")
    rows.append("|---|---|" + "---|" * len(backends))
    for w in sorted(out["peak_rss_mb"].get("pytorch", {}), key=order):
        cells = [w, fmt(out["peak_rss_mb"]["pytorch"][w])]
        for b in backends:
            heap = out["jvm_memory_mb"].get(b, {}).get(w, {}).get("peak_heap_after_gc_mb")
            cells.append(f"{fmt(out['peak_rss_mb'].get(b, {}).get(w))} ({fmt(heap)})")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def order(name):
    for i, w in enumerate(WORKLOADS + CURVES):
        if name == w or name.startswith(w.split("_")[0] + "_"):
            return (i, name_number(name), name)
    return (99, 0, name)


def name_number(name):
    digits = "".join(ch for ch in name.split("_")[-1] if ch.isdigit())
    return int(digits) if digits else 0


def ratio(v, t, metric):
    if v is None or t is None or v == 0 or t == 0:
        return ""
    if metric == "test_acc":
        return f"{v - t:+.3f}"
    if metric in LOWER_IS_BETTER:
        return f"{v / t:.2f}x the time"
    return f"{v / t:.2f}x the rate"


def fmt(v):
    if v is None:
        return ""
    return f"{v:.4g}"


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def java_version():
    p = subprocess.run(["java", "-version"], capture_output=True, text=True)
    return (p.stderr.splitlines() or ["?"])[0]


def torch_version():
    p = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True,
                       env=clean_env())
    return p.stdout.strip()


if __name__ == "__main__":
    main()
