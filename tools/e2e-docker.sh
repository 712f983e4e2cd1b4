#!/usr/bin/env bash
# End to end over Docker, with the images already built (make docker-image), the way the course's
# tests drive the repository: generate the compose file, then write the data, then start.
#   1. echo:     0 clients; tools/validar-echo-server.sh must succeed.
#   2. order:    RUNS runs (default 10) of 5 agencies × 60 bets, central and agencies at DEBUG,
#                batches of 10. The compose file is generated before the data exists. Each agency
#                must learn its own winners and exit 0, no line may say result: fail, and by
#                Docker's own stamps every apuesta_recibida comes before sorteo, and sorteo before
#                any consulta_ganadores.
#   3. volume:   3 agencies × 30000 generated bets of known winners (1, 5, 2 with seed 42).
#   4. restart:  `docker compose restart server` in the middle of a round keeps the bets.
#   5. sigterm:  the central and an agency waiting for the draw are stopped; both exit 0.
# One line per scenario; exit code 0 only if all pass. Whatever happens, compose is taken down.
# SCENARIOS picks some (default: all), RUNS the order rounds, E2E_LOGS a directory to keep a failed
# scenario's whole merged log in.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work=$(mktemp -d)
compose=$work/docker-compose.yaml
runs=${RUNS:-10}
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
        merged_logs 2>&1 | tail -60
        echo "----"
        if [ -n "${E2E_LOGS:-}" ]; then
            mkdir -p "$E2E_LOGS" && merged_logs >"$E2E_LOGS/$1.log" 2>&1 && echo "the whole log of $1 is in $E2E_LOGS/$1.log"
        fi
    fi
}

wait_for_log() { # container, fixed string, seconds
    local deadline=$((SECONDS + $3))
    # grep -c reads the whole log: grep -q would quit at the first match and, with pipefail, the
    # SIGPIPE that kills `docker logs` on a long log would read as "not found".
    until [ "$(docker logs "$1" 2>&1 | grep -cF -- "$2")" -gt 0 ]; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# Every line of every container of the compose file, in the order Docker stamped them:
# "STAMP NAME MESSAGE", the stamp's fraction padded to nanoseconds so that text order is time order.
merged_logs() {
    local name
    for name in $(docker compose -f "$compose" ps -a --services 2>/dev/null); do
        docker logs --timestamps "$name" 2>&1 | awk -v name="$name" '{
            stamp = $1; sub(/^[^ ]* /, "")
            split(stamp, part, /[.Z]/); frac = substr(part[2] "000000000", 1, 9)
            print part[1] "." frac " " name " " $0 }'
    done | LC_ALL=C sort -s -k1,1
}

# Sends every bet with the config files of $work/conf: the central's at DEBUG, the agencies' at
# DEBUG with batches of 10. The course's tests edit config.ini and config.yaml the same way.
use_debug_configs() {
    mkdir -p "$work/conf"
    sed 's/^LOGGING_LEVEL *=.*/LOGGING_LEVEL = DEBUG/' reactor-server/config.ini >"$work/conf/config.ini"
    sed -e 's/level: .*/level: "DEBUG"/' -e 's/maxAmount: .*/maxAmount: 10/' agency-client/config.yaml >"$work/conf/config.yaml"
    local yaml
    yaml=$(<"$compose")
    yaml=${yaml//"$root/reactor-server/config.ini"/"$work/conf/config.ini"}
    yaml=${yaml//"$root/agency-client/config.yaml"/"$work/conf/config.yaml"}
    printf '%s\n' "$yaml" >"$compose"
    [ "$(grep -c "$work/conf/" "$compose")" -gt 1 ] || { echo "could not point $compose at the DEBUG configs"; return 1; }
}

# Agency K's 60 bets: K-1 of them on 7574, at rows 7, 14, ...; odd agencies end lines in CRLF, even ones in LF.
write_bets() { # directory, agencies
    local k i eol number
    for k in $(seq 1 "$2"); do
        eol=$'\n'; [ $((k % 2)) = 1 ] && eol=$'\r\n'
        for i in $(seq 1 60); do
            number=$(( i % 7 == 0 && i / 7 < k ? 7574 : (i * 37) % 7000 ))
            printf '%s,%s,%d,%s,%d%s' "Nombre $i" "Fornerón" $((k * 1000000 + i)) "1990-01-$(printf %02d $((1 + i % 28)))" "$number" "$eol"
        done >"$1/agency-$k.csv"
    done
}

generate() { # directory, agencies, bets per agency: prints the generator's report
    mkdir -p "$1"
    docker run --rm --user "$(id -u):$(id -g)" -v "$1:/data" --entrypoint java client:latest \
        -cp /opt/loteria/agency-tools.jar ar.loteria.agency.dataset.GenerateDataset \
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

# Checks the merged log of a finished round: no failure, each agency's winners, and the order rules
# the course's tests check, by Docker's stamps: every apuesta_recibida and every agency_done before
# sorteo, and sorteo before any agency's consulta_ganadores. (Lines about one bet on both sides are
# not compared: Docker stamps a line when it reads it, and its reader can lag a central that wrote
# first by more than the agency takes to answer, a fraction of a millisecond.)
check_round() { # agencies, expected winners of agency 1..N (space separated)
    local logs k expected
    # `docker wait` can return before Docker has copied a container's last lines: wait for them.
    for k in $(seq 1 "$1"); do
        wait_for_log "client$k" "action: consulta_ganadores" 10 || true
    done
    logs=$(merged_logs)
    grep -q " server .*action: sorteo | result: success" <<<"$logs" || { echo "no sorteo line"; return 1; }
    grep -q "result: fail" <<<"$logs" && { echo "a line says result: fail: $(grep -m1 "result: fail" <<<"$logs")"; return 1; }
    k=0
    for expected in $2; do
        k=$((k + 1))
        grep -q " client$k .*action: consulta_ganadores | result: success | cant_ganadores: $expected\$" <<<"$logs" \
            || { echo "client$k did not report cant_ganadores: $expected"; return 1; }
    done
    awk -v agencies="$1" '
        bad { next }
        / server .*action: apuesta_recibida \| result: success/ && drawn { bad = "an apuesta_recibida after sorteo: " $0 }
        / server .*action: agency_done \| result: success/ { done++; if (drawn) bad = "agency_done after sorteo: " $0 }
        / server .*action: sorteo \| result: success/ && !drawn { drawn = NR; if (done < agencies) bad = "sorteo after only " done " agency_done lines" }
        / client[0-9]+ .*action: consulta_ganadores/ && !drawn { bad = "consulta_ganadores before sorteo: " $0 }
        END { if (bad) { print bad; exit 1 } if (!drawn) { print "no sorteo"; exit 1 } }' <<<"$logs" || return 1
}

scenario_order() {
    local run data codes expected="0 1 2 3 4"
    for run in $(seq 1 "$runs"); do
        data=$work/order-$run
        rm -rf "$data"
        DATA_DIR=$data tools/generar-compose.sh "$compose" 5 >/dev/null 2>&1 || { echo "run $run: generar-compose.sh failed without data"; return 1; }
        use_debug_configs || return 1
        mkdir -p "$data" && write_bets "$data" 5
        docker compose -f "$compose" up -d >/dev/null 2>&1 || { echo "run $run: compose up failed"; return 1; }
        codes=$(timeout 120 docker wait client1 client2 client3 client4 client5) || { echo "run $run: the clients did not finish within 120 s"; return 1; }
        [ "$(echo $codes)" = "0 0 0 0 0" ] || { echo "run $run: client exit codes: $(echo $codes)"; return 1; }
        local verdict
        verdict=$(check_round 5 "$expected") || { echo "run $run: $(tail -1 <<<"$verdict")"; return 1; }
        down
    done
    echo "$runs runs of 5 agencies at DEBUG: winners 0 1 2 3 4, batches before sorteo before consulta_ganadores"
}

scenario_volume() {
    local data=$work/volume report codes expected=""
    DATA_DIR=$data tools/generar-compose.sh "$compose" 3 >/dev/null 2>&1 || return 1
    # 30000 bets each with seed 42 hold 1, 5 and 2 winners: different counts, so a mix-up shows.
    report=$(generate "$data" 3 30000) || { echo "could not generate the data"; return 1; }
    local k winners
    for k in 1 2 3; do
        winners=$(sed -n "s/^agency-$k\.csv: [0-9]* bets, \([0-9]*\) winners$/\1/p" <<<"$report")
        [ -n "$winners" ] || { echo "no winner count for agency $k in the generator's report"; return 1; }
        expected+="$winners "
    done
    [ "$expected" != "0 0 0 " ] || { echo "the generated data has no winner to check"; return 1; }
    docker compose -f "$compose" up -d >/dev/null 2>&1 || { echo "compose up failed"; return 1; }
    codes=$(timeout 300 docker wait client1 client2 client3) || { echo "the clients did not finish within 300 s"; return 1; }
    [ "$(echo $codes)" = "0 0 0" ] || { echo "client exit codes: $(echo $codes)"; return 1; }
    local verdict
    verdict=$(check_round 3 "$expected") || { echo "$(tail -1 <<<"$verdict")"; return 1; }
    echo "winners ${expected% } as generated, sorteo after every batch, clients exit 0"
}

scenario_restart() {
    local data=$work/restart codes
    DATA_DIR=$data tools/generar-compose.sh "$compose" 2 >/dev/null 2>&1 || return 1
    mkdir -p "$data" && write_bets "$data" 2
    # Agency 1 sends everything and waits for the draw; the central restarts; agency 2 comes after.
    docker compose -f "$compose" up -d server client1 >/dev/null 2>&1 || { echo "compose up failed"; return 1; }
    wait_for_log client1 "action: apuestas_enviadas | result: success" 120 || { echo "client1 never finished sending"; return 1; }
    wait_for_log server "action: winners_query | result: in_progress | agency: 1" 60 || { echo "client1 never asked for its winners"; return 1; }
    docker compose -f "$compose" restart -t 5 server >/dev/null 2>&1 || { echo "restart failed"; return 1; }
    wait_for_log server "bets: 60 |" 60 || { echo "the restarted central did not recover agency 1's 60 bets: $(docker logs server 2>&1 | grep store_recovery)"; return 1; }
    docker compose -f "$compose" up -d client2 >/dev/null 2>&1 || { echo "compose up client2 failed"; return 1; }
    codes=$(timeout 120 docker wait client1 client2) || { echo "the clients did not finish within 120 s"; return 1; }
    [ "$(echo $codes)" = "0 0" ] || { echo "client exit codes: $(echo $codes)"; return 1; }
    wait_for_log client1 "action: consulta_ganadores | result: success | cant_ganadores: 0" 10 || { echo "client1 did not get its winners"; return 1; }
    wait_for_log client2 "action: consulta_ganadores | result: success | cant_ganadores: 1" 10 || { echo "client2 did not get its winners"; return 1; }
    echo "the restarted central kept agency 1's bets; both agencies got their winners"
}

scenario_sigterm() {
    local data=$work/sigterm
    DATA_DIR=$data tools/generar-compose.sh "$compose" 2 >/dev/null 2>&1 || return 1
    mkdir -p "$data" && write_bets "$data" 2
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

for scenario in ${SCENARIOS:-echo order volume restart sigterm}; do
    detail=$("scenario_$scenario" 2>&1)
    outcome=$?
    report "$scenario" "$outcome" "$(tail -1 <<<"$detail")"
    down
done
[ "$failures" = 0 ]
