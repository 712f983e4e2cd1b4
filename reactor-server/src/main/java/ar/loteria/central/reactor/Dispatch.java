package ar.loteria.central.reactor;

import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * How the reactor runs its connections' work: each piece guarded, so that a runtime exception
 * closes that connection and nothing else; and what a turn owes its connections before the next
 * select: the input of those whose session resumed, and one write for each that got replies.
 * Reactor thread only.
 */
final class Dispatch {
    private final ReactorEvents events;
    private final ArrayDeque<Connection> resumed = new ArrayDeque<>();
    private final ArrayDeque<Connection> dirty = new ArrayDeque<>();

    Dispatch(ReactorEvents events) {
        this.events = events;
    }

    /** Runs {@code task} for {@code connection}: a runtime exception in it closes the connection and nothing else. */
    void guarded(Connection connection, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            failed(connection, e);
        }
    }

    /** Asks the connection whether a time limit ran out, guarded as {@link #guarded} guards a task, but with no task to allocate. */
    void sweep(Connection connection, long now, Limits limits) {
        try {
            connection.sweep(now, limits);
        } catch (RuntimeException e) {
            failed(connection, e);
        }
    }

    private void failed(Connection connection, RuntimeException e) {
        events.unexpected(connection.ip(), e);
        connection.close("unexpected " + e);
    }

    /** The connection's key is ready: it reads, writes, or both, and the input it resumed runs. */
    void ready(Connection connection, SelectionKey key, long now) {
        guarded(connection, () -> {
            if (key.isValid() && key.isReadable()) {
                connection.onReadable(now);
            }
            if (key.isValid() && key.isWritable()) {
                connection.flush(now);
            }
        });
        runResumed(now);
    }

    /** The session is ready for the input it left: it gets it before the next select. */
    void resume(Connection connection) {
        resumed.add(connection);
    }

    /** The connection got replies: they are written before the next select. */
    void dirty(Connection connection) {
        dirty.add(connection);
    }

    /** Hands their input back to the sessions that resumed it. */
    void runResumed(long now) {
        for (Connection c; (c = resumed.poll()) != null; ) {
            Connection connection = c;
            guarded(connection, () -> connection.processInput(now));
        }
    }

    /** Writes the replies of this turn: one write per connection, however many replies it got. A write may resume input. */
    void flushDirty(long now) {
        for (Connection c; (c = dirty.poll()) != null; ) {
            Connection connection = c;
            guarded(connection, () -> connection.flush(now));
            runResumed(now);
        }
    }
}
