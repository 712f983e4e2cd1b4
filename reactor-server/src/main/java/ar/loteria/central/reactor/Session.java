package ar.loteria.central.reactor;

import java.nio.ByteBuffer;

/** What a connection speaks: the reactor hands it bytes, it answers through the connection. */
public interface Session {
    /**
     * Consumes what it can of {@code input} (ready to read; advance its position past what was
     * used). Called whenever bytes arrive, and again whenever the session calls
     * {@link Connection#processInput} after it becomes ready for more.
     *
     * @param endOfInput the peer closed its side: nothing more will arrive
     */
    void onInput(Connection connection, ByteBuffer input, boolean endOfInput);

    /** Whether the idle timeout may close the connection now. */
    boolean mayIdleOut();

    /** The connection is closed: let go of anything that refers to it. */
    void onClose(Connection connection);

    /** Who the peer is, for the logs; 0 when it is no agency. */
    int agency();

    /** The central is stopping: the last thing to tell the peer, if anything, before the close. */
    void onShutdown(Connection connection);
}
