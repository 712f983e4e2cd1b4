#!/usr/bin/env bash
# End to end over Docker, with the images already built (make docker-image):
#   1. echo:     0 clients; tools/validar-echo-server.sh must succeed.
#   2. agencies: 3 agencies on generated data of known winners; each learns its own count,
#                the draw is logged after every batch, every client exits 0.
#   3. sigterm:  the central and an agency waiting for the draw are stopped; both exit 0.
# One line per scenario; exit code 0 only if all pass. Whatever happens, compose is taken down.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work=$(mktemp -d)
compose=$work/docker-compose.yaml
failures=0

down() {
    [ -f "$compose" ] || return 0
    docker compose -f "$compose" stop -t 1 >/dev/null 2>&1
    docker compose -f "$compose" down --remove-orphans >/dev/null 2>&1
}
trap 'down; rm -rf "$work"' EXIT

report() { # scenario, outcome (0 = pass), detail
    if [ "$2" = 0 ]; then
        echo "e2e: $1: pass${3:+ ($3)}"
    else
        echo "e2e: $1: FAIL: $3"
        failures=$((failures + 1))
        echo "---- logs of $1 ----"
        docker compose -f "$compose" logs 2>&1 | tail -40 # compose adds no colours when piped
        echo "----"
    fi
}

wait_for_log() { # container, fixed string, seconds
    local deadline=$((SECONDS + $3))
    until docker logs "$1" 2>&1 | grep -qF -- "$2"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

generate() { # directory, agencies, bets per agency: prints the generator's report
    mkdir -p "$1"
    docker run --rm --user "$(id -u):$(id -g)" -v "$1:/data" --entrypoint java client:latest \
        -cp /opt/loteria/agency-client.jar ar.loteria.agency.dataset.GenerateDataset \
        --out /data --agencies "$2" --bets "$3" --seed 42
}

scenario_echo() {
    tools/generar-compose.sh "$compose" 0 >/dev/null || return 1
    docker compose -f "$compose" up -d >/dev/null 2>&1 || { echo "compose up failed"; return 1; }
    wait_for_log server "action: accept_connections | result: in_progress" 60 || { echo "the central never listened"; return 1; }
    local out
    out=$(sh tools/validar-echo-server.sh)
    [ "$out" = "action: test_echo_server | result: success" ] || { echo "validar-echo-server.sh said: $out"; return 1; }
    echo "validar-echo-server.sh: success"
}

scenario_agencies() {
    local data=$work/agencies report
    # 30000 bets each with seed 42 hold 1, 5 and 2 winners: different counts, so a mix-up shows.
    report=$(generate "$data" 3 30000) || { echo "could not generate the data"; return 1; }
    grep -q "^total: .*, 0 winners$" <<<"$report" && { echo "the generated data has no winner to check"; return 1; }
    DATA_DIR=$data tools/generar-compose.sh "$compose" 3 >/dev/null || return 1
    docker compose -f "$compose" up -d >/dev/null 2>&1 || { echo "compose up failed"; return 1; }
    local codes
    codes=$(timeout 300 docker wait client1 client2 client3) || { echo "the clients did not finish within 300 s"; return 1; }
    [ "$(echo $codes)" = "0 0 0" ] || { echo "client exit codes: $(echo $codes)"; return 1; }
    local k expected
    for k in 1 2 3; do
        expected=$(sed -n "s/^agency-$k\.csv: [0-9]* bets, \([0-9]*\) winners$/\1/p" <<<"$report")
        [ -n "$expected" ] || { echo "no winner count for agency $k in the generator's report"; return 1; }
        docker logs "client$k" 2>&1 | grep -qF "action: consulta_ganadores | result: success | cant_ganadores: $expected" \
            || { echo "client$k did not report cant_ganadores: $expected"; return 1; }
    done
    local last_batch draw
    last_batch=$(docker logs server 2>&1 | grep -n "action: apuesta_recibida | result: success" | tail -1 | cut -d: -f1)
    draw=$(docker logs server 2>&1 | grep -n "action: sorteo | result: success" | head -1 | cut -d: -f1)
    [ -n "$last_batch" ] && [ -n "$draw" ] && [ "$draw" -gt "$last_batch" ] \
        || { echo "sorteo (line ${draw:-none}) is not after the last apuesta_recibida (line ${last_batch:-none})"; return 1; }
    local name all=""
    for name in server client1 client2 client3; do
        all+=$(docker logs "$name" 2>&1)$'\n'
    done
    grep -q "action: sorteo" <<<"$all" || { echo "could not read the containers' logs"; return 1; }
    grep -q "result: fail" <<<"$all" && { echo "a line says result: fail: $(grep -m1 "result: fail" <<<"$all")"; return 1; }
    echo "winners $(sed -n 's/^total: .*, \([0-9]*\) winners$/\1/p' <<<"$report") as generated, sorteo after every batch, clients exit 0"
}

scenario_sigterm() {
    local data=$work/sigterm
    generate "$data" 2 2000 >/dev/null || { echo "could not generate the data"; return 1; }
    DATA_DIR=$data tools/generar-compose.sh "$compose" 2 >/dev/null || return 1
    # Agency 2 never starts, so agency 1 ends up waiting for a draw that cannot happen yet.
    docker compose -f "$compose" up -d server client1 >/dev/null 2>&1 || { echo "compose up failed"; return 1; }
    wait_for_log client1 "action: apuestas_enviadas | result: success" 120 || { echo "client1 never finished sending"; return 1; }
    docker compose -f "$compose" stop -t 1 client1 server >/dev/null 2>&1
    local name code
    for name in client1 server; do
        code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
        [ "$code" = 0 ] || { echo "$name exited with code $code"; return 1; }
        docker logs "$name" 2>&1 | grep -q "action: shutdown | result: success" || { echo "$name logged no graceful shutdown"; return 1; }
    done
    echo "client1 and server exited 0 after SIGTERM"
}

for scenario in echo agencies sigterm; do
    detail=$("scenario_$scenario" 2>&1)
    outcome=$?
    report "$scenario" "$outcome" "$(tail -1 <<<"$detail")"
    down
done
[ "$failures" = 0 ]
