# Sourced by tools/run-local.sh and tools/bench.sh: how the programs run outside Docker, with the
# flags of their images and a class cache kept under .run/cache, recorded by tools/aot-train.sh
# from a real run the first time it is needed: an AOT cache on Java 25 and later, an AppCDS
# archive before. Needs root, java, server_jar and client_jar set; `class_caches` sets
# central_cache and agency_cache.
#
# It runs before every `make run`, so it starts a JVM only when it must and forks little: a few
# external commands in all, once the caches are there.

central_options=$root/reactor-server/jvm.options
agency_options=$root/agency-client/jvm.options

# Sets central_cache and agency_cache to the flags that give each program its class cache.
class_caches() {
    central_cache="" agency_cache=""
    local bin home jdk run caps answer kind use
    bin=$(readlink -f "$(command -v "$java")") || return 0 # no such java: the run says so itself
    home=${bin%/bin/*}
    # The JDK by its launcher and modules (path, size, time, inode); a shim or wrapper (asdf,
    # jenv) has no such layout, so its JVM is asked every time. What is run, the jars and the
    # flags, by size and time: a change to either is a new cache.
    jdk=$(stat -L -c '%s.%Y.%i' "$bin" "$home/lib/modules" 2>/dev/null) || jdk=""
    run=$(stat -L -c '%s.%Y' "$server_jar" "$client_jar" "$central_options" "$agency_options")
    jdk=${jdk//$'\n'/-}
    caps=$root/.run/cache/java${bin//\//_}-$jdk.caps
    answer=""
    { [ -n "$jdk" ] && [ -s "$caps" ] && read -r answer <"$caps"; } || true
    if [ -z "$answer" ]; then
        local flags version
        flags=$("$java" -XX:+PrintFlagsFinal -version 2>&1) || return 0
        version=$(grep -m1 -E '^(openjdk|java) version' <<<"$flags" || true)
        if grep -q AOTCacheOutput <<<"$flags"; then answer="aot $version"; else answer="jsa $version"; fi
        if [ -n "$jdk" ]; then
            local tmp
            { mkdir -p "$root/.run/cache" && tmp=$(mktemp "$caps.XXXXXX") && echo "$answer" >"$tmp" && mv "$tmp" "$caps"; } || true
        fi
    fi
    kind=${answer%% *}
    case $kind in aot) use=-XX:AOTCache ;; *) use=-XX:SharedArchiveFile ;; esac
    local stamp="${jdk:-${answer#* }}-${run//$'\n'/-}" # a shim's JDK by its version line
    cache_for central "$kind" "$use" "$stamp" central_cache
    cache_for agency "$kind" "$use" "$stamp" agency_cache
}

# Sets the variable named last to the flags for one program's cache, recorded first when there is
# none for this stamp (and the run says so). A cache holds for one build of the jars, one JVM and
# one set of flags.
cache_for() { # program kind use stamp variable
    local program=$1 kind=$2 use=$3 stamp=$4 cache
    cache=$root/.run/cache/$program-${stamp//[^0-9A-Za-z]/-}.$kind
    if [ ! -s "$cache" ]; then
        mkdir -p "$root/.run/cache" || return 0
        rm -f "$root/.run/cache/$program"-*."$kind" # made for another build, JVM or flags
        local t0=$SECONDS
        echo "recording the $program's class cache for this build and JVM (once; later runs start faster)..." >&2
        CACHE_KIND=$kind JAVA=$java "$root/tools/aot-train.sh" "$program" "$server_jar" "$client_jar" "$central_options" "$agency_options" "$cache" >/dev/null \
            || { echo "no class cache for the $program this time: the run goes on without one" >&2; return 0; }
        echo "recorded the $program's class cache in $((SECONDS - t0)) s: $cache" >&2
    fi
    printf -v "$5" '%s' "$use=$cache"
}
