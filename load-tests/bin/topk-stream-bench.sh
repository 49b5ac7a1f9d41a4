#!/usr/bin/env bash
# JMH RetrieveTopKStreamBenchmark (issue 14): FEATURE's selection state alone on the streams benchmark's input shape,
# beside the unit vectors and distances alone, in the same run (2 forks × 5 passes of 1,000,000 samples). About 3
# minutes. Heavy: run it alone, `flock /tmp/mycroft-heavy.lock load-tests/bin/topk-stream-bench.sh`. Writes load-tests/reports/topk-stream.jmh.json and .log, with the load
# average before and after in the log.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl load-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/load-tests/target/bench-classpath.txt"
log=load-tests/reports/topk-stream.jmh.log
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$log"
java -cp "load-tests/target/mycroft-load-tests-0.1.0-SNAPSHOT.jar:$(cat load-tests/target/bench-classpath.txt)" \
  org.openjdk.jmh.Main RetrieveTopKStreamBenchmark -rf json -rff load-tests/reports/topk-stream.jmh.json | tee -a "$log"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
