package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import ar.loteria.central.draw.DiskTally;
import ar.loteria.central.draw.Tallied;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the draw's reading of the rows on disk at start ({@link Store#recoveredGroups}) calls damage: only a read of
 * bets.csv or bets.commits that the disk fails, which every later start refuses until a repair.
 * A file that cannot be opened, or a read cut off by an interrupt, says nothing of the rows: a
 * draw that failed, made again at the next start, never a store a person must repair.
 */
class ReadRowsTest {
    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final FaultyFiles disk = new FaultyFiles();
    private Store store;

    @BeforeEach
    void aStoreOfTwoAgencies() throws Exception {
        Store first = Store.open(dir, new CentralLog(), workers, e -> { });
        for (int agency = 1; agency <= 2; agency++) {
            List<Bet> bets = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                bets.add(new Bet("Ana", "Paz", Integer.toString(agency * 1000 + i), "1990-01-01", i % 3 == 0 ? 7574 : 1000 + i));
            }
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            first.saveBatch(agency, StoreTest.payload(new BetBatch(0, bets)), outcome::complete);
            assertInstanceOf(Outcome.Accepted.class, outcome.get(10, TimeUnit.SECONDS));
        }
        first.close();
        // Read back only by a later start: the rows a run commits, its draw does not read again.
        store = Store.open(dir, new CentralLog(), workers, e -> { }, BetWatch.NONE, disk, Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        store.close();
        workers.shutdownNow();
    }

    private Tallied tally() throws IOException {
        return DiskTally.of(store.betsFile(), store.recoveredGroups());
    }

    @Test
    void theRowsReadWhole() throws Exception {
        try (Tallied rows = tally()) {
            assertEquals(40, rows.bets());
        }
    }

    @Test
    void aReadOfBetsCsvThatTheDiskFailsIsUnreadable() {
        disk.failReadsOf(Store.BETS_FILE, "Input/output error");
        Unreadable e = assertThrows(Unreadable.class, this::tally);
        assertTrue(e.getMessage().startsWith("the committed rows could not be read back from bets.csv at byte 0: Input/output error (injected)"),
                e.getMessage());
    }

    @Test
    void aReadOfBetsCommitsThatTheDiskFailsIsUnreadable() {
        disk.failReadsOf(Store.COMMITS_FILE, "Input/output error");
        Unreadable e = assertThrows(Unreadable.class, this::tally);
        assertTrue(e.getMessage().startsWith("the committed rows could not be read back from bets.commits at byte 18: Input/output error (injected)"),
                e.getMessage());
    }

    /** EMFILE, EACCES, a file gone: the rows are not known to be bad, and the next start reads them again. */
    @Test
    void aFileThatCannotBeOpenedIsNotDamage() throws Exception {
        disk.failOpens("Too many open files");
        IOException e = assertThrows(IOException.class, this::tally);
        assertFalse(e instanceof Damaged, e.toString());
        assertTrue(e.getMessage().contains("Too many open files (injected)"), e.getMessage());
    }

    /** An interrupt (a worker stopped at shutdown) closes the file under the read: nothing of the rows. */
    @Test
    void aReadCutOffByAnInterruptIsNotDamage() throws Exception {
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Thread.currentThread().interrupt();
            try (Tallied rows = tally()) {
                failed.complete(null);
            } catch (Throwable e) {
                failed.complete(e);
            }
        });
        reader.start();
        Throwable e = failed.get(10, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, e);
        assertFalse(e instanceof Damaged, e.toString());
    }
}
