package ar.loteria.agency;

import java.io.IOException;
import java.net.Socket;

/**
 * A stop request from a signal. The handler thread only unblocks the main thread: it
 * interrupts its sleeps and closes the socket it may be blocked on. The main thread then
 * closes what it holds, logs each, and exits 0.
 */
final class Stop {
    private final Thread main;
    private volatile String signal;
    private volatile Socket socket;

    Stop(Thread main) {
        this.main = main;
    }

    void request(String name) {
        signal = name;
        main.interrupt();
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }

    boolean requested() {
        return signal != null;
    }

    /** The socket a stop must close to unblock the main thread. */
    void watch(Socket s) {
        socket = s;
        if (requested()) {
            request(signal);
        }
    }

    /** Thrown on the main thread where a stop request cuts the work short. */
    static final class Stopped extends Exception {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stop requested", null, false, false);
        }
    }

    void check() throws Stopped {
        if (requested()) {
            throw new Stopped();
        }
    }

    /** Sleeps, unless a stop comes first. */
    void sleep(java.time.Duration d) throws Stopped {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new Stopped();
        }
        check();
    }
}
