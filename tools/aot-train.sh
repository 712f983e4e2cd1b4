#!/bin/sh
# Records a class cache for one program by running the whole system once over loopback: the
# central and three agencies on generated data, the real path end to end. On Java 25 and later
# it is an AOT cache (-XX:AOTCacheOutput), before an AppCDS archive (-XX:ArchiveClassesAtExit).
# The image builds run it; so do `make run` and `make bench`, once per build (tools/jvm-flags.sh).
#
#   tools/aot-train.sh central|agency CENTRAL_JAR AGENCY_JAR CENTRAL_OPTIONS AGENCY_OPTIONS OUT [TOOLS_JAR]
#
# TOOLS_JAR generates the training data (default: agency-client-tools.jar beside AGENCY_JAR, as
# the build leaves it).
#
# The program trained runs with its own @OPTIONS file, as it will at run time: a cache is only
# used with the flags it was made with.
set -eu
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
program=$1
central_jar=$(absolute "$2") agency_jar=$(absolute "$3")
central_options=$(absolute "$4") agency_options=$(absolute "$5") out=$(absolute "$6")
tools_jar=$(absolute "${7:-$(dirname "$agency_jar")/agency-client-tools.jar}")
java=${JAVA:-java}
work=$(mktemp -d)
port=${TRAIN_PORT:-0} # 0: the central takes a free port and says which in its first lines
trap 'for pid in ${central:-} ${agencies:-}; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT

# CACHE_KIND (aot or jsa) when the caller knows it (tools/jvm-flags.sh does); else ask the JVM.
kind=${CACHE_KIND:-}
[ -n "$kind" ] || { kind=jsa; "$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput && kind=aot; }
record=-XX:ArchiveClassesAtExit
[ "$kind" = aot ] && record=-XX:AOTCacheOutput
central_aot= agency_aot=
[ "$program" = central ] && central_aot="$record=$out"
[ "$program" = agency ] && agency_aot="$record=$out"

"$java" @"$agency_options" -cp "$tools_jar" ar.loteria.agency.dataset.GenerateDataset \
    --out "$work/data" --agencies 3 --bets 20000 --seed 1 >/dev/null
keys="1:training-key-of-agency-1,2:training-key-of-agency-2,3:training-key-of-agency-3"
mkdir -p "$work/central" "$work/agency"
printf '[DEFAULT]\nSERVER_PORT = %s\nSERVER_IP = 127.0.0.1\nSERVER_LISTEN_BACKLOG = 16\nLOGGING_LEVEL = INFO\n' "$port" >"$work/central/config.ini"
(cd "$work/central" && AGENCIES=3 AGENCY_KEYS=$keys exec "$java" @"$central_options" $central_aot -jar "$central_jar" >"$work/central.log" 2>&1) &
central=$!
tries=0
until grep -q "accept_connections | result: in_progress" "$work/central.log" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || { cat "$work/central.log" >&2; echo "aot-train: the central never listened" >&2; exit 1; }
    sleep 0.1
done
port=$(sed -n 's/.*accept_connections | result: in_progress | address: [^ ]*:\([0-9]*\).*/\1/p' "$work/central.log" | head -1)
# Each program reads its configuration file as it will at run time: the reading is trained too.
printf 'server:\n  address: "127.0.0.1:%s"\nloop:\n  amount: 1\n  period: "1s"\nlog:\n  level: "INFO"\nbatch:\n  maxAmount: 53\n' "$port" >"$work/agency/config.yaml"
agencies=
for k in 1 2 3; do
    aot=; [ "$k" = 1 ] && aot=$agency_aot # one agency records; three exercise the central
    (cd "$work/agency" && CLI_ID=$k CLI_KEY=training-key-of-agency-$k CLI_DATA_FILE="$work/data/agency-$k.csv" \
        exec "$java" @"$agency_options" $aot -jar "$agency_jar" >"$work/agency-$k.log" 2>&1) &
    agencies="$agencies $!"
done
for pid in $agencies; do
    wait "$pid" || { cat "$work"/agency-*.log >&2; echo "aot-train: an agency failed" >&2; exit 1; }
done
agencies=
kill -TERM "$central"
wait "$central" || { cat "$work/central.log" >&2; echo "aot-train: the central did not stop cleanly" >&2; exit 1; }
central=
[ -s "$out" ] || { echo "aot-train: no cache written to $out" >&2; exit 1; }
echo "aot-train: $program cache $out ($(wc -c <"$out") bytes)"
