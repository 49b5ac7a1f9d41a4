#!/usr/bin/env bash
# Times our OMP kernel and scikit-learn's orthogonal_mp on the same seeded matrix in one run, prints the ratio
# (sklearn seconds / ours; higher = ours faster) and checks both chose the same atoms. The two sides alternate for
# ROUNDS rounds and each keeps its best time, so a load spike on this shared machine does not favour either side.
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
for r in $(seq "$rounds"); do
java -Xmx6g --add-modules jdk.incubator.vector -cp "$jar" io.mycroft.loadtests.omp.OmpVsSklearn "$n" "$d" "$b" "$tmp/m" \
  2>/dev/null > "$tmp/java.$r"
/usr/bin/python3 - "$n" "$d" "$b" "$tmp/m" > "$tmp/py.$r" <<'PY'
import sys, time
import numpy as np, sklearn
from sklearn.linear_model import orthogonal_mp
n, d, b, prefix = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
X = np.fromfile(prefix + ".X.f32", dtype="<f4").reshape(n, d).T.astype(np.float64)  # (d, n), Fortran order
y = np.fromfile(prefix + ".y.f64", dtype="<f8")
best = float("inf")
for i in range(4):
    t0 = time.perf_counter()
    coef = orthogonal_mp(X, y, n_nonzero_coefs=b, return_path=True)
    s = time.perf_counter() - t0
    if i >= 1:
        best = min(best, s)
order = []
for t in range(coef.shape[1]):
    order += [int(i) for i in np.flatnonzero(coef[:, t]) if i not in order]
print(f"sklearn_version={sklearn.__version__} numpy={np.__version__}")
print(f"sklearn_seconds={best:.4f}")
print("sklearn_atoms=" + ",".join(map(str, order)))
PY
echo "round $r: java $(sed -n 's/^java_seconds=//p' "$tmp/java.$r") s, sklearn $(sed -n 's/^sklearn_seconds=//p' "$tmp/py.$r") s, load $(cut -d' ' -f1 /proc/loadavg)"
done
js=$(cat "$tmp"/java.* | sed -n 's/^java_seconds=//p' | sort -g | head -1)
ps=$(cat "$tmp"/py.* | sed -n 's/^sklearn_seconds=//p' | sort -g | head -1)
ja=$(sed -n 's/^java_atoms=//p' "$tmp/java.1"); pa=$(sed -n 's/^sklearn_atoms=//p' "$tmp/py.1")
grep '^sklearn_version' "$tmp/py.1"
echo "java_seconds=$js"
echo "sklearn_seconds=$ps"
echo "n=$n d=$d B=$b same_atoms=$([ "$ja" = "$pa" ] && echo true || echo false)"
python3 -c "print(f'omp_vs_sklearn_ratio={$ps/$js:.3f}')"
