#!/usr/bin/env bash
# End-to-end Streams throughput vs a same-run baseline on a real local stack (see StreamsThroughput's javadoc): one cold
# pass of each app, then [passes] alternating measured passes in the same JVM; median/min/max, the load average around
# every pass, and a JFR hot-method summary of the Mycroft stream thread (load-tests/reports/streams-hot-methods.txt).
# Defaults: 8 owners × 500 records × 50 samples = 200,000 samples per pass, 5 measured passes (~10 min), heap 6g
# (BENCH_HEAP; the candidate cache is sized to hold the working set, ~2 GB at 200k samples). Heavy: run it
# alone, `flock /tmp/mycroft-heavy.lock load-tests/bin/streams-bench.sh`, and only trust it when "quiet" is true.
# BENCH_SETTINGS="key=value ...": app settings that replace the product's for both apps (e.g. commit.interval.ms=1000),
# recorded in streams.json as settings_overridden.
# JVM flags: BENCH_JVM_FLAGS, by default deploy/k8s/streams.yaml's (ParallelGC, a fixed heap of BENCH_HEAP, pre-touched,
# in transparent huge pages, the Vector API module; BENCH_JVM_FLAGS without --add-modules jdk.incubator.vector measures the scalar kernels);
# -XX:+DebugNonSafepoints (always) lets JFR place a sample at the instruction it hit, not at the next safepoint, so a
# hot loop's time is not shown under the call after it.
# BENCH_JVM_FLAGS=-XX:+UseG1GC measures the JVM's default collector instead, BENCH_JVM_FLAGS=-XX:+UseParallelGC the
# growing heap ./mycroft runs with. BENCH_JAVA: the java to run
# (default: java on the PATH).
# BENCH_METHOD: GRADIENT (default; OMP on d = 1,290 last-layer gradients) or FEATURE (the product's default method:
# RetrieveTopK on d = 128 embeddings; the baseline then reads the same, smaller records). BENCH_REPORT: where the
# figures go (default load-tests/reports/streams.json); the recording and hot methods are named after it.
# BENCH_FLOOR=1 (FEATURE only): a third app in the same run, the baseline plus the selection math alone (each
# sample's unit vector and its distances to its class's hard samples): steady_state.floor_* in the report.
# Usage: load-tests/bin/streams-bench.sh [owners] [batchesPerOwner] [samplesPerBatch] [passes]; writes BENCH_REPORT
set -euo pipefail
cd "$(dirname "$0")/../.."
# Built in one reactor, so the class path names this checkout's module jars (not whatever snapshot ~/.m2 holds).
mvn -B -q -pl load-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/load-tests/target/bench-classpath.txt"
exec "${BENCH_JAVA:-java}" -Xmx${BENCH_HEAP:-6g} ${BENCH_JVM_FLAGS:--XX:+UseParallelGC -Xms${BENCH_HEAP:-6g} -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages --add-modules jdk.incubator.vector} \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp "load-tests/target/mycroft-load-tests-0.1.0-SNAPSHOT.jar:$(cat load-tests/target/bench-classpath.txt)" \
  io.mycroft.loadtests.streams.StreamsThroughput "${1:-8}" "${2:-500}" "${3:-50}" "${4:-5}" "${BENCH_REPORT:-load-tests/reports/streams.json}"
