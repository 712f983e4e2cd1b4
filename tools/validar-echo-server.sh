#!/bin/sh
# Checks that the central echoes: sends a line to server:12345 with netcat, from a throwaway
# busybox container on the compose network, and compares the reply. Nothing is installed on the
# host and no port is published. Prints exactly one line:
#   action: test_echo_server | result: success
#   action: test_echo_server | result: fail
# A central that answers something else, nothing, or is not running fails within seconds.
NETWORK=${NETWORK:-tp0_testing_net}
SERVER=${SERVER:-server}
PORT=${PORT:-12345}
MESSAGE="echo check $$ $(date +%s)"

# nc gives up after 3 s without a connection; timeout bounds the whole container run.
reply=$(timeout 15 docker run --rm --network "$NETWORK" busybox:latest \
    sh -c "printf '%s\n' '$MESSAGE' | nc -w 3 '$SERVER' '$PORT'" 2>/dev/null)

if [ "$reply" = "$MESSAGE" ]; then
    echo "action: test_echo_server | result: success"
else
    echo "action: test_echo_server | result: fail"
    exit 1
fi
