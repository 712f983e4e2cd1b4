# Sourced by tools/run-local.sh and tools/bench.sh: how the programs run outside Docker, with the
# flags of their images and a class cache kept under .run/cache, recorded by tools/aot-train.sh
# from a real run the first time it is needed: an AOT cache on Java 25 and later, an AppCDS
# archive before. Needs root, java, server_jar and client_jar set; `class_caches` sets
# central_cache and agency_cache.
#
# It runs before every `make run`, where a fork costs 5-15 ms, so once the caches are there it
# forks nothing: it keeps the binary each java name resolved to and, beside each cache, empty
# files stamped with the mtimes of what the cache was made for (the JDK's launcher and modules,
# the jar, the flags), which builtin tests compare (-ef, -nt). Only a change makes it resolve
# a link, stamp or start a JVM.
#
#   .run/cache/named/NAME       the java a name ($java) resolved to, for a real JDK only
#   .run/cache/jdkHOME/         one JDK: kind (aot or jsa), its stamps and its programs' caches

central_options=$root/reactor-server/jvm.options
agency_options=$root/agency-client/jvm.options

# Sets central_cache and agency_cache to the flags that give each program its class cache.
class_caches() {
    central_cache="" agency_cache=""
    local found="" bin="" home dir kind="" flags="" resolved="" cache=$root/.run/cache
    if [[ $java == */* ]]; then found=$java; elif hash -- "$java" 2>/dev/null; then found=${BASH_CMDS[$java]}; fi
    [[ -n $found && -x $found ]] || return 0 # no such java: the run says so itself
    local named=$cache/named/${java//[^0-9A-Za-z]/_}
    # -ef follows the links: a switch of alternatives is seen even when the link's mtime is old.
    if ! { [[ -s $named ]] && read -r bin <"$named" && [[ $found -ef $bin ]]; }; then
        bin=$(readlink -f -- "$found") || return 0
        resolved=yes
        if [[ ! -f ${bin%/bin/*}/lib/modules ]]; then
            # A shim or wrapper (asdf, jenv) picks its JDK at each start: only its JVM can say which.
            flags=$("$java" -XshowSettings:properties -XX:+PrintFlagsFinal -version 2>&1) || return 0
            local said=$'java\\.home = ([^\n]+)'
            [[ $flags =~ $said ]] || return 0
            bin=${BASH_REMATCH[1]}/bin/java
        fi
    fi
    home=${bin%/bin/*} dir=$cache/jdk${home//[^0-9A-Za-z]/_}
    if ! { [[ -s $dir/kind ]] && same "$bin" "$dir/java.stamp" && same "$home/lib/modules" "$dir/modules.stamp" \
        && read -r kind <"$dir/kind"; }; then
        [[ -n $flags ]] || flags=$("$bin" -XX:+PrintFlagsFinal -version 2>&1) || return 0
        kind=jsa
        [[ $flags != *AOTCacheOutput* ]] || kind=aot
        # A new JDK build: its caches go, and so do the flat files of the launcher before.
        { mkdir -p "$dir" && rm -f "$dir"/* "$cache"/*.caps "$cache"/*.aot "$cache"/*.jsa \
            && touch -r "$bin" "$dir/java.stamp" && touch -r "$home/lib/modules" "$dir/modules.stamp" \
            && echo "$kind" >"$dir/kind"; } || return 0
    fi
    # A shim is never named: the next run asks its JVM again.
    if [[ -n $resolved && $found -ef $bin ]]; then
        { mkdir -p "$cache/named" && echo "$bin" >"$named"; } || true
    fi
    cache_for central "$kind" "$dir" "$server_jar" "$central_options" central_cache
    cache_for agency "$kind" "$dir" "$client_jar" "$agency_options" agency_cache
}

# Whether a file still has the mtime its stamp was given (touch -r): neither older nor newer.
same() { # file stamp
    [[ -e $2 && ! $1 -nt $2 && ! $2 -nt $1 ]]
}

# Sets the variable named last to the flags for one program's cache, recorded first when there is
# none for this JDK, jar and flags (and the run says so).
cache_for() { # program kind dir jar options variable
    local program=$1 kind=$2 dir=$3 jar=$4 options=$5 use=-XX:SharedArchiveFile
    local cache=$dir/$program.$kind
    [ "$kind" = jsa ] || use=-XX:AOTCache
    if ! { [[ -s $cache ]] && same "$jar" "$dir/$program.jar.stamp" && same "$options" "$dir/$program.options.stamp"; }; then
        # Stamped before the recording: a jar rebuilt meanwhile makes the next run record again.
        { rm -f "$cache" && touch -r "$jar" "$dir/$program.jar.stamp" && touch -r "$options" "$dir/$program.options.stamp"; } || return 0
        local t0=$EPOCHREALTIME part=$dir/$program.$$.$kind
        # One line: what is being recorded, then, once it is, how long it took.
        printf "recording the %s's class cache for this build and JVM (once; later runs start faster)... " "$program" >&2
        { CACHE_KIND=$kind JAVA=$java "$root/tools/aot-train.sh" "$program" "$server_jar" "$client_jar" "$central_options" "$agency_options" "$part" >/dev/null 2>&1 \
            && mv -f "$part" "$cache"; } \
            || { rm -f "$part"; echo "failed: the run goes on without one" >&2; return 0; }
        local t1=$EPOCHREALTIME tenths
        tenths=$(( (10#${t1//[^0-9]/} - 10#${t0//[^0-9]/}) / 100000 )) # microseconds, whatever the locale's decimal point
        echo "done in $((tenths / 10)).$((tenths % 10)) s" >&2
    fi
    printf -v "$6" '%s' "$use=$cache"
}
