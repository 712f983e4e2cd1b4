package ar.loteria.central.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The course's storage helpers ({@code utils.py}), ported: a {@link Bet} per row of
 * {@code bets.csv}, written the way Python's {@code csv.writer(QUOTE_MINIMAL)} writes,
 * {@link #storeBets}, {@link #loadBets} and {@link #hasWon}.
 *
 * <p>Like the originals, not thread-safe: the central guarantees one writer at a time. Unlike
 * them, {@link #storeBets} returns only once the rows are forced to disk, because the central
 * acknowledges a batch only then.
 */
public final class BetStorage implements Closeable {
    /** Simulated winner number in the lottery contest. */
    public static final int LOTTERY_WINNER_NUMBER = 7574;

    /** A lottery bet registry: one row of {@code bets.csv}. */
    public record Bet(int agency, String firstName, String lastName, String document, String birthdate, int number) {
    }

    private final Path path;
    private final FileChannel file;
    private final CsvWriter rows = new CsvWriter();

    /** Opens (creating it if needed) {@code path} to append. */
    public BetStorage(Path path) throws IOException {
        this.path = path;
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        file.position(file.size());
    }

    /** Checks whether a bet won the prize or not. */
    public static boolean hasWon(Bet bet) {
        return bet.number() == LOTTERY_WINNER_NUMBER;
    }

    /** Persists the bets as rows of {@code bets.csv}, in one write, forced to disk. Not thread-safe. */
    public void storeBets(List<Bet> bets) throws IOException {
        rows.reset();
        for (Bet bet : bets) {
            rows.field(bet.agency()).field(bet.firstName()).field(bet.lastName()).field(bet.document())
                    .field(bet.birthdate()).field(bet.number()).endRow();
        }
        ByteBuffer out = rows.buffer();
        while (out.hasRemaining()) {
            file.write(out);
        }
        file.force(false);
    }

    /**
     * Streams the bets stored so far, row by row, never the whole file in memory. Rows stored
     * after the call are not part of it. Close the stream when done.
     */
    public Stream<Bet> loadBets() throws IOException {
        return loadBets(size());
    }

    /** The first {@code bytes} of the file, as {@link #loadBets()} reads it; safe beside a writer. */
    Stream<Bet> loadBets(long bytes) throws IOException {
        CsvReader reader = new CsvReader(FileChannel.open(path, StandardOpenOption.READ), bytes);
        Iterator<Bet> bets = new Iterator<>() {
            private final List<String> fields = new ArrayList<>(6);
            private Bet next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = read();
                }
                return next != null;
            }

            @Override
            public Bet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Bet bet = next;
                next = null;
                return bet;
            }

            private Bet read() {
                try {
                    return reader.next(fields) ? toBet(fields, reader.row()) : null;
                } catch (IOException e) {
                    throw new UncheckedIOException(path + ": " + e.getMessage(), e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(bets, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static Bet toBet(List<String> f, long row) throws IOException {
        if (f.size() != 6) {
            throw new IOException("row " + row + " has " + f.size() + " fields, not 6");
        }
        try {
            return new Bet(Integer.parseInt(f.get(0)), f.get(1), f.get(2), f.get(3), f.get(4), Integer.parseInt(f.get(5)));
        } catch (NumberFormatException e) {
            throw new IOException("row " + row + ": agency and number must be integers: " + f);
        }
    }

    /** The bytes written so far. */
    long size() throws IOException {
        return file.position();
    }

    /** Drops everything after {@code size}: rows that were written but never committed. */
    void truncate(long size) throws IOException {
        file.truncate(size);
        file.position(size);
        file.force(false);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
