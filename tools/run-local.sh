#!/usr/bin/env bash
# The whole system without Docker: the central and N agencies as local processes on 127.0.0.1,
# each output line prefixed as compose prefixes it. Once every agency has finished, the central
# is stopped with SIGTERM. Exits 0 only if every process did.
#
#   tools/run-local.sh [N]          (default 5; needs the jars, `make build`, and .data/agency-K.csv)
#
# PORT (default 12345) picks the central's port; the central stores its bets in a fresh
# directory under .run/ each time. Both programs run with the flags of their images
# (reactor-server/jvm.options, agency-client/jvm.options) and a class cache kept under .run/:
# on Java 25 and later an AOT cache recorded once per build with tools/aot-train.sh, on older
# JDKs an AppCDS archive written by the first run. JAVA picks the java to run.
set -euo pipefail

agencies=${1:-5}
[[ "$agencies" =~ ^[0-9]+$ ]] || { echo "usage: $0 [agencies]" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${PORT:-12345}
server_jar=$root/reactor-server/target/reactor-server.jar
client_jar=$root/agency-client/target/agency-client.jar
for jar in "$server_jar" "$client_jar"; do
    [ -f "$jar" ] || { echo "$0: $jar is missing: run 'make build' first" >&2; exit 1; }
done
for k in $(seq 1 "$agencies"); do
    [ -f "$root/.data/agency-$k.csv" ] || { echo "$0: .data/agency-$k.csv is missing: run 'make dataset AGENCIES=$agencies'" >&2; exit 1; }
done

mkdir -p "$root/.run"
run=$(mktemp -d "$root/.run/run.XXXXXX")
java=${JAVA:-java}
. "$root/tools/jvm-flags.sh"
class_caches
width=$(( ${#agencies} + 8 )) # compose pads names: "client1  | ", "server   | "

# Runs a command as `name`: its lines prefixed, then "name exited with code C"; the exit code
# lands in $run/name.code and the process id in $run/name.pid.
start() {
    local name=$1 dir=$2
    shift 2
    (
        cd "$dir"
        { "$@" 2>&1 & echo $! > "$run/$name.pid"; wait $! && code=0 || code=$?; echo "$code" > "$run/$name.code"; } \
            | sed -u "s/^/$(printf "%-${width}s" "$name")| /"
        echo "$name exited with code $(cat "$run/$name.code")"
    ) &
    echo $! > "$run/$name.job"
}

stop_all() {
    for pidfile in "$run"/*.pid; do
        [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    done
}
trap 'stop_all; wait; exit 130' INT TERM

# Fresh keys for this run, as generar-compose.sh makes them for compose.
keys=()
for k in $(seq 1 "$agencies"); do
    keys[k]=$(od -vAn -N24 -tx1 /dev/urandom | tr -d ' \n')
done
agency_keys=$(for k in $(seq 1 "$agencies"); do printf '%s%s:%s' "$([ "$k" = 1 ] || echo ,)" "$k" "${keys[k]}"; done)

# The central reads reactor-server/config.ini; only its address is set for a local run.
start server "$root/reactor-server" env SERVER_IP=127.0.0.1 SERVER_PORT="$port" AGENCIES="$agencies" \
    AGENCY_KEYS="$agency_keys" SERVER_STORE_DIR="$run" "$java" @"$central_options" $central_cache -jar "$server_jar"
for k in $(seq 1 "$agencies"); do
    start "client$k" "$root/agency-client" env CLI_ID="$k" CLI_KEY="${keys[k]}" CLI_SERVER_ADDRESS="127.0.0.1:$port" \
        CLI_DATA_FILE="$root/.data/agency-$k.csv" "$java" @"$agency_options" $agency_cache -jar "$client_jar"
done

# Wait for every agency. If one fails, the draw can never happen: stop the rest at once.
failed=0
while true; do
    finished=0
    for k in $(seq 1 "$agencies"); do
        [ -f "$run/client$k.code" ] || continue
        finished=$((finished + 1))
        if [ "$(cat "$run/client$k.code")" != 0 ] && [ "$failed" = 0 ]; then
            failed=1
            stop_all
        fi
    done
    [ "$finished" -lt "$agencies" ] || break
    sleep 0.2
done
for k in $(seq 1 "$agencies"); do
    wait "$(cat "$run/client$k.job")" || true
done
kill -TERM "$(cat "$run/server.pid")" 2>/dev/null || true
wait "$(cat "$run/server.job")" || true

for name in server $(seq -f "client%g" 1 "$agencies"); do
    [ "$(cat "$run/$name.code" 2>/dev/null || echo 1)" = 0 ] || exit 1
done
