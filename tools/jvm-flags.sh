# Sourced by tools/run-local.sh and tools/bench.sh: how the programs run outside Docker, with the
# flags of their images and a class cache kept under .run/cache, recorded by tools/aot-train.sh
# from a real run the first time it is needed: an AOT cache on Java 25 and later, an AppCDS
# archive before. Needs root, java, server_jar and client_jar set.

central_options=$root/reactor-server/jvm.options
agency_options=$root/agency-client/jvm.options

# The flags that give a program its class cache. A cache holds for one build of the jar, one JVM
# and one set of flags: any of them changed, it is recorded again.
cache_flags() { # program jar
    local program=$1 jar=$2 kind use stamp cache
    if "$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput; then
        kind=aot use=-XX:AOTCache
    else
        kind=jsa use=-XX:SharedArchiveFile
    fi
    stamp=$({ cat "$jar" "$central_options" "$agency_options"; "$java" -version 2>&1; } | cksum | cut -d' ' -f1)
    cache=$root/.run/cache/$program-$stamp.$kind
    if [ ! -s "$cache" ]; then
        mkdir -p "$root/.run/cache"
        rm -f "$root/.run/cache/$program"-*."$kind" # made for another build, JVM or flags
        JAVA=$java "$root/tools/aot-train.sh" "$program" "$server_jar" "$client_jar" "$central_options" "$agency_options" "$cache" >&2 \
            || return 0 # no cache this time: the run goes on without one
    fi
    echo "$use=$cache"
}
