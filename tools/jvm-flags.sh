# Sourced by tools/run-local.sh and tools/bench.sh: how the programs run outside Docker, with the
# flags of their images and a class cache kept under .run/cache. On Java 25 and later the cache is
# an AOT cache, recorded once per build of the jars with tools/aot-train.sh; on older JDKs it is an
# AppCDS archive, written by the first run. Needs root, java, server_jar and client_jar set.

central_options=$root/reactor-server/jvm.options
agency_options=$root/agency-client/jvm.options

# The flags that give a program its class cache, made for this build of its jar.
cache_flags() { # program jar
    local program=$1 jar=$2 aot stamp
    aot=$("$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -c 'AOTCacheOutput' || true)
    stamp=$(stat -c '%Y-%s' "$jar")
    mkdir -p "$root/.run/cache"
    if [ "$aot" -gt 0 ]; then
        local cache=$root/.run/cache/$program-$stamp.aot
        if [ ! -s "$cache" ]; then
            rm -f "$root/.run/cache/$program"-*.aot # made for an earlier build of the jar
            JAVA=$java "$root/tools/aot-train.sh" "$program" "$server_jar" "$client_jar" "$central_options" "$agency_options" "$cache" >&2 \
                || return 0 # no cache this time: the run goes on without one
        fi
        echo "-XX:AOTCache=$cache"
    else
        local archive=$root/.run/cache/$program-$stamp.jsa
        if [ -s "$archive" ]; then
            echo "-XX:SharedArchiveFile=$archive"
        else
            rm -f "$root/.run/cache/$program"-*.jsa
            echo "-XX:ArchiveClassesAtExit=$archive"
        fi
    fi
}

# What the K-th agency of a run adds: an AppCDS archive is written by one process only, the first.
agency_cache_for() { # cache-flags k
    case $1 in
        -XX:ArchiveClassesAtExit=*) [ "$2" = 1 ] && echo "$1" ;;
        *) echo "$1" ;;
    esac
}
