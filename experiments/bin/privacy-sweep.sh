#!/usr/bin/env bash
# The cost of differentially private hard sets (issue 15, reports/privacy.md): one scenario at ε = ∞ (no privacy) and at
# each given ε, same seeds, each run on the pipeline under the shared heavy-work lock; reports go to
# reports/privacy/<scenario>-eps-<ε>/. Usage: experiments/bin/privacy-sweep.sh [SCENARIO] [SEEDS] [EPSILONS]
#   e.g. experiments/bin/privacy-sweep.sh experiments/scenarios/quick.yaml 1,2,3 "4 1 0.5"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCENARIO="${1:-$ROOT/experiments/scenarios/quick.yaml}"
SEEDS="${2:-1,2,3}"
EPSILONS="${3:-4 1 0.5}"
NAME="$(basename "$SCENARIO" .yaml)"
LOCK=/tmp/mycroft-heavy.lock

run() { # $1 = label, rest = extra experiment options
  local label="$1"; shift
  echo "== $NAME ε=$label seeds $SEEDS ($(uptime))"
  flock "$LOCK" "$ROOT/mycroft" experiment --scenario "$SCENARIO" --seeds "$SEEDS" \
    --reports "$ROOT/reports/privacy/$NAME-eps-$label" "$@"
}

run inf
for eps in $EPSILONS; do
  run "$eps" --privacy-epsilon "$eps"
done
flock "$LOCK" "$ROOT/mycroft" stack down
