#!/usr/bin/env bash
# The full fault experiments (load-tests/reports/faults.md): a fault-free reference run of load-tests/scenarios/faults.yaml,
# the same seed again under SIGKILLs, then standby failover rounds; on a fresh local stack of its own under
# load-tests/target/faults-full (or -brokers3). Takes the shared heavy lock itself.
# Usage: load-tests/bin/faults.sh [brokers=1] [rate=1.2] [streamsKills=20] [workerKills=3] [connectKills=2] [brokerKills=0] [failoverRounds=5]
#   crash run:        load-tests/bin/faults.sh
#   broker loss:      load-tests/bin/faults.sh 3 4 0 0 0 1 0
set -euo pipefail
cd "$(dirname "$0")/../.."
brokers="${1:-1}"
name="faults-$([ "$brokers" = 1 ] && echo full || echo "brokers$brokers")"
# Built in one reactor, so the class path names this checkout's module jars (not whatever snapshot ~/.m2 holds).
mvn -B -q -o -pl load-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/load-tests/target/faults-classpath.txt"
exec flock /tmp/mycroft-heavy.lock java -Xmx1g \
  -cp "load-tests/target/mycroft-load-tests-0.1.0-SNAPSHOT.jar:$(cat load-tests/target/faults-classpath.txt)" \
  io.mycroft.loadtests.faults.FaultsMain "load-tests/target/$name" "load-tests/reports/$name.json" "$brokers" \
  "${2:-1.2}" "${3:-20}" "${4:-3}" "${5:-2}" "${6:-0}" "${7:-5}"
