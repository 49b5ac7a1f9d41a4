#!/usr/bin/env bash
# Runs the OMP benchmarks and writes reports/omp.json:
#   1. JMH OmpBenchmark (batch re-solve) and IncrementalOmpBenchmark (one arrival, random and adversarial order);
#      n = 10k, 100k; B = 100, 500; d = 1,290
#   2. bin/omp-vs-sklearn.sh (our kernel vs scikit-learn orthogonal_mp, same matrix, same run)
#   3. JMH DotKernelBenchmark (plain loop vs our kernel, scalar and SIMD, vs EJML)
# Usage: load-tests/bin/omp-bench.sh   (about 15–25 minutes on 2 cores; uses up to 8 GB heap)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
[ -f target/benchmarks.jar ] || (cd .. && mvn -B -q -Pbench -pl processors,load-tests -am package -DskipTests)
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
java -jar target/benchmarks.jar "OmpBenchmark" -rf json -rff reports/omp.jmh.json | tee reports/omp.jmh.log
bin/omp-vs-sklearn.sh 10000 1290 100 | tee reports/omp-vs-sklearn.log
java -jar target/benchmarks.jar DotKernelBenchmark -rf json -rff reports/dot-kernels.jmh.json | tee reports/dot-kernels.jmh.log
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 bin/omp-summary.py "$load_before" "$load_after"
