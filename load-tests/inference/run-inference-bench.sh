#!/usr/bin/env bash
# Inference benchmark: DJL vs PyTorch samples/s on the Fashion-MNIST MLP, and worker throughput through Kafka.
# Writes load-tests/reports/inference.json (the .md report is written by hand from it and the run's output).
# Needs Debian's python3-torch; installs it if missing (root, as on the project's machines).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch
fi
WORK="$PWD/load-tests/target/inference-bench"
mkdir -p "$WORK"
mvn -B -q -pl load-tests -am install -DskipTests
mvn -B -q -pl load-tests dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt"
java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "load-tests/target/classes:$(cat "$WORK/classpath.txt")" io.mycroft.loadtests.InferenceBenchmark \
  "$WORK" load-tests/reports "${ROUNDS:-7}" "${WORKER_SAMPLES:-10000}"
