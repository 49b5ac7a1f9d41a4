#!/usr/bin/env bash
# End-to-end Streams throughput vs a same-run baseline on a real local stack (see StreamsThroughput's javadoc).
# Usage: load-tests/bin/streams-bench.sh [owners] [batchesPerOwner] [samplesPerBatch]; writes load-tests/reports/streams.json
set -euo pipefail
cd "$(dirname "$0")/../.."
# Built in one reactor, so the class path names this checkout's module jars (not whatever snapshot ~/.m2 holds).
mvn -B -q -pl load-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/load-tests/target/bench-classpath.txt"
exec java -Xmx2g -cp "load-tests/target/mycroft-load-tests-0.1.0-SNAPSHOT.jar:$(cat load-tests/target/bench-classpath.txt)" \
  io.mycroft.loadtests.streams.StreamsThroughput "${1:-8}" "${2:-25}" "${3:-50}" load-tests/reports/streams.json
