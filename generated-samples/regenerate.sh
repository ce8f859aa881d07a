#!/bin/sh
# Regenerates the Java code of every example model (examples/*.grad, examples/seeds/*.grad)
# into generated-samples/org/gradc/samples/. Run from anywhere:
#
#   sh generated-samples/regenerate.sh
#
# The Maven build compiles these files with javac, and GeneratedSamplesTest fails when
# regenerating them would change a byte.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rm -rf generated-samples/org
for f in examples/*.grad examples/seeds/*.grad; do
  ./gradc emit "$f" -o generated-samples --package org.gradc.samples
done
