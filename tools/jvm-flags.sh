# Sourced by tools/run-local.sh and tools/bench.sh: how the programs run outside Docker, with the
# flags of their images and a class cache kept under .run/cache, recorded by tools/aot-train.sh
# from a real run the first time it is needed: an AOT cache on Java 25 and later, an AppCDS
# archive before. Needs root, java, server_jar and client_jar set.

central_options=$root/reactor-server/jvm.options
agency_options=$root/agency-client/jvm.options

# What this java is (its version, and whether it records AOT caches), learned by starting it once
# and kept under .run/cache, keyed by the JDK's own files: later runs start no JVM to know it.
java_caps() {
    local bin home key caps
    bin=$(readlink -f "$(command -v "$java")") || return 1
    home=$(dirname "$(dirname "$bin")")
    key=$({ echo "$bin"; stat -c '%s %Y %i' "$bin" "$home/lib/modules" 2>/dev/null; } | cksum | cut -d' ' -f1)
    caps=$root/.run/cache/java-$key.caps
    if [ ! -s "$caps" ]; then
        mkdir -p "$root/.run/cache"
        local flags version
        flags=$("$java" -XX:+PrintFlagsFinal -version 2>"$caps.version") || return 1
        version=$(head -1 "$caps.version")
        rm -f "$caps.version"
        if grep -q AOTCacheOutput <<<"$flags"; then echo "aot $version"; else echo "jsa $version"; fi >"$caps.tmp"
        mv "$caps.tmp" "$caps"
    fi
    cat "$caps"
}

# The flags that give a program its class cache. A cache holds for one build of the jar, one JVM
# and one set of flags: any of them changed, it is recorded again (and the run says so).
cache_flags() { # program jar
    local program=$1 jar=$2 caps kind use stamp cache
    caps=$(java_caps) || return 0 # a java that cannot say what it is: run without a cache
    kind=${caps%% *}
    case $kind in aot) use=-XX:AOTCache ;; *) use=-XX:SharedArchiveFile ;; esac
    stamp=$({ cat "$jar" "$central_options" "$agency_options"; echo "$caps"; } | cksum | cut -d' ' -f1)
    cache=$root/.run/cache/$program-$stamp.$kind
    if [ ! -s "$cache" ]; then
        mkdir -p "$root/.run/cache"
        rm -f "$root/.run/cache/$program"-*."$kind" # made for another build, JVM or flags
        local t0=$(date +%s%N)
        echo "recording the $program's class cache for this build and JVM (once; later runs start faster)..." >&2
        CACHE_KIND=$kind JAVA=$java "$root/tools/aot-train.sh" "$program" "$server_jar" "$client_jar" "$central_options" "$agency_options" "$cache" >/dev/null \
            || { echo "no class cache for the $program this time: the run goes on without one" >&2; return 0; }
        echo "recorded the $program's class cache in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $cache" >&2
    fi
    echo "$use=$cache"
}
