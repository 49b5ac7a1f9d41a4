#!/usr/bin/env bash
# Owners who game the ranking (issue 13, reports/strategic.md): the strategic scenario and its honest twin (same owners,
# same underlying data), same seeds, each run on the pipeline under the shared heavy-work lock; reports go to
# reports/fashion-mnist-strategic/ and reports/fashion-mnist-strategic-honest/. Usage: experiments/bin/strategic.sh [SEEDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SEEDS="${1:-1,2,3}"
LOCK=/tmp/mycroft-heavy.lock

for name in fashion-mnist-strategic fashion-mnist-strategic-honest; do
  echo "== $name seeds $SEEDS ($(uptime))"
  flock "$LOCK" "$ROOT/mycroft" experiment --scenario "$ROOT/experiments/scenarios/$name.yaml" --seeds "$SEEDS"
  echo "== $name done ($(uptime))"
done
flock "$LOCK" "$ROOT/mycroft" stack down
