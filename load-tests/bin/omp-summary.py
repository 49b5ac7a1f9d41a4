#!/usr/bin/env python3
"""Writes reports/omp.json from the JMH results and the sklearn comparison log (see omp-bench.sh)."""
import json
import os
import platform
import re
import subprocess
import sys

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
reports = os.path.join(here, "reports")


def jmh(name):
    with open(os.path.join(reports, name)) as f:
        return json.load(f)


def ms(entry):
    """Milliseconds per operation; a single shot of a batch of invocations is divided by the batch size."""
    unit = entry["primaryMetric"]["scoreUnit"]
    score = entry["primaryMetric"]["score"]
    if entry["mode"] == "ss":
        score /= entry["measurementBatchSize"]
    return score * {"ms/op": 1, "s/op": 1000, "us/op": 1e-3, "ns/op": 1e-6}[unit]


omp = {}
for e in jmh("omp.jmh.json"):
    p = e["params"]
    key = (int(p["n"]), int(p["budget"]))
    omp.setdefault(key, {})[e["benchmark"].rsplit(".", 1)[1]] = ms(e)

# "[omp] n=… B=… offers=… re-runs=…" lines printed by OmpBenchmark's teardown, per benchmark section of the log
reruns = {}
bench = None
for line in open(os.path.join(reports, "omp.jmh.log")):
    m = re.match(r"# Benchmark: .*\.(\w+)$", line.strip())
    if m:
        bench = m.group(1)
    m = re.search(r"\[omp\] n=(\d+) B=(\d+) offers=(\d+) re-runs=(\d+)", line)
    if m:
        reruns[(int(m.group(1)), int(m.group(2)), bench)] = {"offers": int(m.group(3)), "re_runs": int(m.group(4))}

rows = []
for (n, b), r in sorted(omp.items()):
    rows.append({
        "n": n, "d": 1290, "B": b,
        "batch_ms": r.get("batchSolve"),
        "incremental_random_ms": r.get("incrementalRandomOrder"),
        "incremental_adversarial_ms": r.get("incrementalAdversarialOrder"),
        "ratio_random": r["batchSolve"] / r["incrementalRandomOrder"],
        "ratio_adversarial": r["batchSolve"] / r["incrementalAdversarialOrder"],
        "random_order_offers_and_re_runs": reruns.get((n, b, "incrementalRandomOrder")),
    })

log = open(os.path.join(reports, "omp-vs-sklearn.log")).read()
ratio = float(re.search(r"omp_vs_sklearn_ratio=([\d.]+)", log).group(1))
sk = re.search(r"n=(\d+) d=(\d+) B=(\d+) same_atoms=(\w+)", log)
dots = {e["benchmark"].rsplit(".", 1)[1]: e["primaryMetric"]["score"] for e in jmh("dot-kernels.jmh.json")}
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                     text=True).stdout.strip()
mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/{print $2}'"], capture_output=True, text=True).stdout.strip()
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]

n100k = [r for r in rows if r["n"] == 100000]
out = {
    "incremental_vs_batch_ratio_n100k": min(r["ratio_random"] for r in n100k),
    "incremental_vs_batch_ratio_n100k_by_B": {str(r["B"]): r["ratio_random"] for r in n100k},
    "incremental_vs_batch_ratio_n100k_adversarial_by_B": {str(r["B"]): r["ratio_adversarial"] for r in n100k},
    "omp_vs_sklearn_ratio": ratio,
    "omp_vs_sklearn": {"n": int(sk.group(1)), "d": int(sk.group(2)), "B": int(sk.group(3)),
                       "same_atoms": sk.group(4) == "true",
                       **{k: float(v) for k, v in re.findall(r"(\w+_seconds_(?:median|best))=([\d.]+)", log)},
                       **{k: v for k, v in re.findall(r"(\w+_seconds_range)=([\d.-]+)", log)},
                       **{k: float(v) for k, v in re.findall(r"(omp_vs_sklearn_ratio_best)=([\d.]+)", log)},
                       "load_average": re.findall(r"load average: ([\d.]+, [\d.]+, [\d.]+)", log)},
    "n": sorted({r["n"] for r in rows}), "d": 1290, "B": sorted({r["B"] for r in rows}),
    "goals": {"incremental_vs_batch_ge_100x": min(r["ratio_random"] for r in n100k) >= 100,
              "omp_vs_sklearn_ge_1": ratio >= 1.0},
    "runs": rows,
    "dot_kernel_ns_d1290": dots,
    "machine": {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": int(mem), "os": platform.platform(), "java": java,
                "loadavg_before": sys.argv[1] if len(sys.argv) > 1 else None,
                "loadavg_after": sys.argv[2] if len(sys.argv) > 2 else None},
}
with open(os.path.join(reports, "omp.json"), "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(json.dumps(out, indent=2))
