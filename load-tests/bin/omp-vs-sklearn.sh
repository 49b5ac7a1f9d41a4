#!/usr/bin/env bash
# Times our OMP kernel and scikit-learn's orthogonal_mp on the same seeded matrix in one run, prints the ratio
# (sklearn seconds / ours; higher = ours faster) and checks both chose the same atoms. The two sides alternate for
# ROUNDS rounds (default 3), each round a fresh process timing 7 solves after its warm-ups, so a load spike on this
# machine does not favour either side. omp_vs_sklearn_ratio is the ratio of the medians over all rounds; the best
# times and their ratio are printed too. The JVM runs with the Streams bench's flags (ParallelGC, a fixed pre-touched
# heap: deploy/k8s/streams.yaml's); OMP_JVM_FLAGS overrides them (e.g. -XX:+UseG1GC).
# Usage: load-tests/bin/omp-vs-sklearn.sh [n] [d] [B]    (defaults 10000 1290 100; installs Debian's python3-sklearn
# with apt-get when it is missing)
set -euo pipefail
if ! /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
  echo "omp-vs-sklearn: installing python3-sklearn (apt-get)..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -q python3-sklearn >/dev/null \
    || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q python3-sklearn >/dev/null; }
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"; d="${2:-1290}"; b="${3:-100}"; rounds="${ROUNDS:-3}"
jar="$here/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$here/.." && mvn -B -q -Pbench -pl processors,load-tests -am package -DskipTests)
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
uptime
for r in $(seq "$rounds"); do
java -Xmx6g ${OMP_JVM_FLAGS:--XX:+UseParallelGC -Xms6g -XX:+AlwaysPreTouch} --add-modules jdk.incubator.vector -cp "$jar" io.mycroft.loadtests.omp.OmpVsSklearn "$n" "$d" "$b" "$tmp/m" \
  2>/dev/null > "$tmp/java.$r"
/usr/bin/python3 - "$n" "$d" "$b" "$tmp/m" > "$tmp/py.$r" <<'PY'
import sys, time
import numpy as np, sklearn
from sklearn.linear_model import orthogonal_mp
n, d, b, prefix = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
X = np.fromfile(prefix + ".X.f32", dtype="<f4").reshape(n, d).T.astype(np.float64)  # (d, n), Fortran order
y = np.fromfile(prefix + ".y.f64", dtype="<f8")
times = []
for i in range(8):
    t0 = time.perf_counter()
    coef = orthogonal_mp(X, y, n_nonzero_coefs=b, return_path=True)
    if i >= 1:
        times.append(f"{time.perf_counter() - t0:.4f}")
order = []
for t in range(coef.shape[1]):
    order += [int(i) for i in np.flatnonzero(coef[:, t]) if i not in order]
print(f"sklearn_version={sklearn.__version__} numpy={np.__version__}")
print("sklearn_seconds=" + ",".join(times))
print("sklearn_atoms=" + ",".join(map(str, order)))
PY
echo "round $r: java $(sed -n 's/^java_seconds=//p' "$tmp/java.$r") s; sklearn $(sed -n 's/^sklearn_seconds=//p' "$tmp/py.$r") s; load $(cut -d' ' -f1 /proc/loadavg)"
done
ja=$(sed -n 's/^java_atoms=//p' "$tmp/java.1"); pa=$(sed -n 's/^sklearn_atoms=//p' "$tmp/py.1")
grep '^sklearn_version' "$tmp/py.1"
python3 - "$tmp" <<'PY'
import glob, statistics, sys
def times(side):
    return sorted(float(t) for f in glob.glob(f"{sys.argv[1]}/{side}.*") for line in open(f)
                  if line.startswith(("java_seconds=", "sklearn_seconds=")) for t in line.split("=")[1].split(","))
j, p = times("java"), times("py")
for name, t in (("java", j), ("sklearn", p)):
    print(f"{name}_seconds_median={statistics.median(t):.4f} {name}_seconds_best={t[0]:.4f} "
          f"{name}_seconds_range={t[0]:.4f}-{t[-1]:.4f} {name}_solves={len(t)}")
print(f"omp_vs_sklearn_ratio_best={p[0] / j[0]:.3f}")
print(f"omp_vs_sklearn_ratio={statistics.median(p) / statistics.median(j):.3f}")
PY
echo "n=$n d=$d B=$b same_atoms=$([ "$ja" = "$pa" ] && echo true || echo false)"
uptime
