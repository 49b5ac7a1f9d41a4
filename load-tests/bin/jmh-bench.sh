#!/usr/bin/env bash
# One JMH benchmark class of this module (issue 14), e.g. ClaimFilterBenchmark (the claims' key filter against Guava's
# Bloom filter, about 4 minutes), RetrieveTopKStreamBenchmark (FEATURE's selection state on the streams benchmark's
# input shape beside its math alone, about 3 minutes) or UsefulSubsetProcessorBenchmark (FEATURE's whole processor on
# RocksDB stores, no broker: 1,000,000 samples an iteration; its forks differ by 10-40 % (JIT), about 3
# minutes); forks and iterations are the class's own. Heavy: run it alone,
# `flock /tmp/mycroft-heavy.lock load-tests/bin/jmh-bench.sh CLASS STEM`. Writes load-tests/reports/STEM.jmh.json and
# .log, with the load average before and after in the log.
# Usage: load-tests/bin/jmh-bench.sh ClaimFilterBenchmark claim-filter
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: load-tests/bin/jmh-bench.sh BENCHMARK_CLASS REPORT_STEM" >&2; exit 2; }
cd "$(dirname "$0")/../.."
mvn -B -q -pl load-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/load-tests/target/bench-classpath.txt"
log="load-tests/reports/$2.jmh.log"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$log"
java -cp "load-tests/target/mycroft-load-tests-0.1.0-SNAPSHOT.jar:$(cat load-tests/target/bench-classpath.txt)" \
  org.openjdk.jmh.Main "$1" -rf json -rff "load-tests/reports/$2.jmh.json" | tee -a "$log"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
