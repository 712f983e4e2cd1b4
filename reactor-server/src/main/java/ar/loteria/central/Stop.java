package ar.loteria.central;

/**
 * Why the central stops: the event that ends its loop. What its shutdown's first line names, how
 * its last line reads and the exit code are decided here alone. When several come (SIGTERM, then
 * the store failing as it forces what was received), the gravest decides: a failed store must not
 * exit 0 because a signal came first.
 *
 * <p>An unexpected error is not a case: it may come from the loop itself, so it never waits for
 * the loop; the fail-stop ends the process at once with {@link #FATAL}.
 */
record Stop(Cause cause, String reason) {
    /**
     * The exit code after a store failure: a supervisor restarts the central, and recovery repairs
     * the tail; and after the draw found the rows damaged or could not read them back (an I/O
     * error): the restart then refuses, exit code 1, without reading them, until a person runs
     * the repair.
     */
    static final int STORE_FAILED = 74;
    /**
     * The exit code after a failed draw (its winners not writable): the next start draws again
     * from disk, once the cause is fixed. A draw that found the rows damaged or unreadable exits
     * with {@link #STORE_FAILED} instead.
     */
    static final int DRAW_FAILED = 75;
    /** The exit code after an unexpected error, with which the fail-stop path ends the process. */
    static final int FATAL = 70;

    /** In order of gravity, the gravest last. */
    enum Cause {
        /** Asked from outside: a signal (SIGTERM, SIGINT), or the code that embeds the central. */
        REQUESTED,
        /** The draw failed and said why: nobody can be answered; the store is sound. */
        DRAW_FAILURE,
        /** Nothing more can be stored; the next start recovers. */
        STORE_FAILURE,
        /** The draw found the rows damaged, and the store records it: every start refuses until a repair. */
        STORE_DAMAGE
    }

    static final Stop DRAW_FAILURE = new Stop(Cause.DRAW_FAILURE, "draw failure");
    static final Stop STORE_FAILURE = new Stop(Cause.STORE_FAILURE, "store failure");
    static final Stop STORE_DAMAGE = new Stop(Cause.STORE_DAMAGE, "store failure");

    static Stop requested(String by) {
        return new Stop(Cause.REQUESTED, by);
    }

    /** This or {@code later}, whichever is graver; this on a tie. */
    Stop graver(Stop later) {
        return later.cause.compareTo(cause) > 0 ? later : this;
    }

    int exitCode() {
        return switch (cause) {
            case REQUESTED -> 0;
            case DRAW_FAILURE -> DRAW_FAILED;
            case STORE_FAILURE, STORE_DAMAGE -> STORE_FAILED;
        };
    }

    /** Writes the shutdown's first line. */
    void started(CentralLog log) {
        log.shutdownStarted(reason);
    }

    /** Writes the shutdown's last line. */
    void ended(CentralLog log) {
        switch (cause) {
            case REQUESTED, DRAW_FAILURE -> log.shutdownDone(true);
            case STORE_FAILURE -> log.shutdownDone(false);
            case STORE_DAMAGE -> log.shutdownDamaged();
        }
    }
}
