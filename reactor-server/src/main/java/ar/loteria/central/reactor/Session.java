package ar.loteria.central.reactor;

import java.nio.ByteBuffer;

/**
 * What a connection speaks; the reactor knows it only as bytes in and out. Every method runs on
 * the reactor thread, one connection's calls never overlap, and none may block.
 */
public interface Session {
    /**
     * Consumes what it can of {@code input} (ready to read; advance its position past what was
     * used). Bytes left there are a request still arriving, unless the session paused its input
     * ({@link Connection#pauseInput}). Called when bytes arrive, and again after a resume.
     *
     * @param endOfInput the peer closed its side: nothing more will arrive
     */
    void onInput(ByteBuffer input, boolean endOfInput);

    /** The replies waiting for the peer fell below the low water mark, after being above the high one. */
    default void onWritable() {
    }

    /** Whether a quiet peer may be closed now: not while it waits for something it asked for. */
    default boolean mayIdleOut() {
        return true;
    }

    /** The connection is closed: let go of anything that refers to it. */
    void onClose(String reason);

    /** The server is stopping: the last thing to tell the peer, if anything, before the close. */
    default void onShutdown() {
    }
}
