#!/usr/bin/env bash
# JMH FeaturePathBenchmark (issue 14): the FEATURE stream thread's claim filter and hard-sample distances against what
# they replaced, in the same run. About 3 minutes. Heavy: run it alone, `flock /tmp/mycroft-heavy.lock
# load-tests/bin/feature-path-bench.sh`. Writes load-tests/reports/feature-path.jmh.json and .log, with the load
# average before and after in the log.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl load-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/load-tests/target/bench-classpath.txt"
log=load-tests/reports/feature-path.jmh.log
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$log"
java -cp "load-tests/target/mycroft-load-tests-0.1.0-SNAPSHOT.jar:$(cat load-tests/target/bench-classpath.txt)" \
  org.openjdk.jmh.Main FeaturePathBenchmark -rf json -rff load-tests/reports/feature-path.jmh.json | tee -a "$log"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
