#!/usr/bin/env bash
# Runs the JMH microbenchmarks of reactor-server (the hot path of a batch, the draw's tally).
#   tools/jmh.sh [JMH options, e.g. a benchmark name pattern]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./mvnw -B -q install -DskipTests
./mvnw -B -q -pl reactor-server test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
classpath=reactor-server/target/test-classes:reactor-server/target/classes:$(cat reactor-server/target/jmh.classpath)
exec "${JAVA:-java}" -cp "$classpath" org.openjdk.jmh.Main "$@"
