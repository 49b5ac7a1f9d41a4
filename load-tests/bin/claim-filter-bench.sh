#!/usr/bin/env bash
# JMH ClaimFilterBenchmark (issue 14): the content claims' key filter against the Guava Bloom filter it replaced, in the
# same run (2 forks × 10 measured iterations each). About 4 minutes. Heavy: run it alone, `flock /tmp/mycroft-heavy.lock
# load-tests/bin/claim-filter-bench.sh`. Writes load-tests/reports/claim-filter.jmh.json and .log, with the load
# average before and after in the log.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl load-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/load-tests/target/bench-classpath.txt"
log=load-tests/reports/claim-filter.jmh.log
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$log"
java -cp "load-tests/target/mycroft-load-tests-0.1.0-SNAPSHOT.jar:$(cat load-tests/target/bench-classpath.txt)" \
  org.openjdk.jmh.Main ClaimFilterBenchmark -rf json -rff load-tests/reports/claim-filter.jmh.json | tee -a "$log"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
