#!/usr/bin/env bash
# Re-makes inference/src/main/resources/io/mycroft/inference/features/image-cnn-fashion.params, the IMAGE_CNN feature
# extractor: seeded training (TrainImageCnn) on the shipped Fashion-MNIST subset (data/fashion-mnist), PyTorch CPU with
# one intra-op thread, so the same seed gives the same file on the same native.
# Usage (from anywhere): inference/scripts/train-image-cnn.sh [epochs=8] [seed=20260101]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q install -DskipTests -pl inference -am
cp=$(mktemp)
mvn -B -q -pl inference dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xmx2g \
  -cp "inference/target/classes:$(cat "$cp")" io.mycroft.inference.features.TrainImageCnn \
  data/fashion-mnist inference/src/main/resources/io/mycroft/inference/features/image-cnn-fashion.params "${1:-8}" "${2:-20260101}"
rm -f "$cp"
