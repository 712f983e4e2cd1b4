package ar.loteria.central;

import ar.loteria.central.store.Store;
import java.util.concurrent.Executor;

/**
 * The central as {@link CentralMain} runs it, with a fault on demand, for process tests.
 * {@code FAULT=worker-error}: the first batch's work on a worker throws an OutOfMemoryError.
 */
public final class FaultyCentralMain {
    private FaultyCentralMain() {
    }

    public static void main(String[] args) {
        boolean workerError = "worker-error".equals(System.getenv("FAULT"));
        Central.StoreOpener stores = (directory, workers, listener) -> {
            Executor work = !workerError ? workers : task -> workers.execute(() -> {
                throw new OutOfMemoryError("Java heap space (injected)");
            });
            return Store.open(directory, new CentralLog(), work, listener);
        };
        System.exit(CentralMain.serve(stores));
    }
}
