#!/usr/bin/env bash
# The fuzz suite as a soak: every fuzz test of load-tests (sample-vectors, hardset-vectors, evaluations, owner-rankings,
# hardset-requests, models, owner-samples) at N records each (default 100,000: 700,000 records in all, ~2.5 min),
# printing one summary line per topic. The default suite (`./mycroft test`) runs the same tests at 4,400 records each.
# Usage: load-tests/bin/fuzz-soak.sh [recordsPerTopic]; run it under flock /tmp/mycroft-heavy.lock on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
records="${1:-100000}"
echo "fuzz soak: ${records} records per topic, started $(date -u +%FT%TZ); $(uptime)"
start=$(date +%s)
mvn -B -o -pl load-tests -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmycroft.fuzz.records="${records}" 2>&1 \
  | grep -E '^fuzz |Tests run:|FAIL|BUILD' 
echo "elapsed $(( $(date +%s) - start )) s; $(uptime)"
