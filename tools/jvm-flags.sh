# Sourced by tools/run-local.sh and tools/bench.sh: how the programs run outside Docker, with the
# flags of their images and a class cache kept under .run/cache, recorded by tools/aot-train.sh
# from a real run the first time it is needed: an AOT cache on Java 25 and later, an AppCDS
# archive before. Needs root, java, server_jar and client_jar set.

central_options=$root/reactor-server/jvm.options
agency_options=$root/agency-client/jvm.options

# What this java is (its version, and whether it records AOT caches), learned by starting it once
# and kept under .run/cache, keyed by the JDK's own files: later runs start no JVM to know it.
java_caps() {
    local bin home key caps=""
    bin=$(readlink -f "$(command -v "$java")") || return 1
    home=$(dirname "$(dirname "$bin")")
    # Only a real JDK layout can be keyed by its files: a shim (asdf, jenv) or a wrapper script
    # stays the same file when the JDK behind it changes, so it is asked every time.
    if [ -f "$home/lib/modules" ]; then
        key=$({ echo "$bin"; stat -c '%s %Y %i' "$bin" "$home/lib/modules"; } | cksum | cut -d' ' -f1)
        caps=$root/.run/cache/java-$key.caps
        [ -s "$caps" ] && { cat "$caps"; return 0; }
    fi
    local flags version answer
    flags=$("$java" -XX:+PrintFlagsFinal -version 2>&1) || return 1
    version=$(grep -m1 -E '^(openjdk|java) version' <<<"$flags")
    if grep -q AOTCacheOutput <<<"$flags"; then answer="aot $version"; else answer="jsa $version"; fi
    if [ -n "$caps" ]; then
        mkdir -p "$root/.run/cache"
        local tmp
        tmp=$(mktemp "$caps.XXXXXX") && echo "$answer" >"$tmp" && mv "$tmp" "$caps"
    fi
    echo "$answer"
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
        local t0=$SECONDS
        echo "recording the $program's class cache for this build and JVM (once; later runs start faster)..." >&2
        CACHE_KIND=$kind JAVA=$java "$root/tools/aot-train.sh" "$program" "$server_jar" "$client_jar" "$central_options" "$agency_options" "$cache" >/dev/null \
            || { echo "no class cache for the $program this time: the run goes on without one" >&2; return 0; }
        echo "recorded the $program's class cache in $((SECONDS - t0)) s: $cache" >&2
    fi
    echo "$use=$cache"
}
