#!/usr/bin/env bash
# Runs the reference workloads W0–W4 and prints one table (medians, min–max, and the ratio to
# the hand-written ceiling measured in the same run).
#   bench/run.sh                 all benchmarks (≈ 4 minutes)
#   bench/run.sh Steps           only the training steps; any JMH arguments work
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(cd "$here/.." && mvn -q -B install -DskipTests)
(cd "$here" && mvn -q -B package)
cd "$here"
java --add-modules jdk.incubator.vector -jar target/benchmarks.jar "$@" 2>&1 \
  | grep -v "^WARNING: Using incubator modules"
