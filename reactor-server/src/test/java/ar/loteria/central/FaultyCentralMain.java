package ar.loteria.central;

import ar.loteria.central.store.FaultyFiles;
import ar.loteria.central.store.Store;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The central as {@link CentralMain} runs it, with a fault on demand, for process tests.
 * {@code FAULT=worker-error}: the first batch's work on a worker throws an OutOfMemoryError.
 * {@code FAULT=heap-exhausted}: a batch's work on a worker fills the heap for real and keeps it
 * full, so that the JVM itself raises an OutOfMemoryError at whatever the central does next.
 * {@code FAULT=draw-read-error}: once the store is open, every read of its files fails with an
 * I/O error, as a failing disk's would; the draw is the first to read them.
 */
public final class FaultyCentralMain {
    private FaultyCentralMain() {
    }

    public static void main(String[] args) {
        String fault = String.valueOf(System.getenv("FAULT"));
        AtomicReference<Object[]> hoard = new AtomicReference<>(); // reachable from the store for as long as it lives
        Central.StoreOpener stores = (directory, events, workers, listener, watch) -> {
            Executor work = switch (fault) {
                case "worker-error" -> task -> workers.execute(() -> {
                    throw new OutOfMemoryError("Java heap space (injected)");
                });
                case "heap-exhausted" -> task -> workers.execute(() -> exhaust(hoard));
                default -> workers;
            };
            if (fault.equals("draw-read-error")) {
                FaultyFiles disk = new FaultyFiles();
                Store store = Store.open(directory, events, work, listener, watch, disk, Clock.systemUTC());
                disk.failReads("Input/output error");
                return store;
            }
            return Store.open(directory, events, work, listener, watch);
        };
        CentralMain.serveAndExit(stores);
    }

    /**
     * Fills the heap down to its last few bytes and keeps it full; the batch is never settled. A
     * chain, not a list: a list would need ever larger arrays to grow, and leave the room it could
     * not get.
     */
    private static void exhaust(AtomicReference<Object[]> hoard) {
        for (int size = 1 << 16; size > 0; size /= 2) {
            try {
                while (true) {
                    hoard.set(new Object[] {hoard.get(), new long[size]});
                }
            } catch (OutOfMemoryError fullAtThisSize) {
                // smaller pieces may still fit
            }
        }
    }
}
