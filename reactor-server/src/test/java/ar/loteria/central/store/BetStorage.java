package ar.loteria.central.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The course's storage helpers ({@code utils.py}), ported: a {@link Bet} per row of
 * {@code bets.csv}, written the way Python's {@code csv.writer(QUOTE_MINIMAL)} writes,
 * {@link #storeBets}, {@link #loadBets} and {@link #hasWon}. They are the specification: the
 * journal writes the same bytes faster ({@link BatchRows}), and the draw's tally finds the same
 * winners as {@code loadBets} and {@code hasWon} would; tests hold both to it. The central itself
 * never calls them, so they live with the tests.
 *
 * <p>Like the originals, {@link #storeBets} is not thread-safe. Unlike them, it forces the rows
 * to disk before it returns.
 */
public final class BetStorage {
    /** Simulated winner number in the lottery contest. */
    public static final int LOTTERY_WINNER_NUMBER = 7574;

    /** A lottery bet registry: one row of {@code bets.csv}. */
    public record Bet(int agency, String firstName, String lastName, String document, String birthdate, int number) {
    }

    private BetStorage() {
    }

    /** Checks whether a bet won the prize or not. */
    public static boolean hasWon(Bet bet) {
        return bet.number() == LOTTERY_WINNER_NUMBER;
    }

    /** Persists the bets as rows appended to {@code path}, in one write, forced to disk. Not thread-safe. */
    public static void storeBets(Path path, List<Bet> bets) throws IOException {
        CsvWriter rows = new CsvWriter();
        for (Bet bet : bets) {
            rows.field(bet.agency()).field(bet.firstName()).field(bet.lastName()).field(bet.document())
                    .field(bet.birthdate()).field(bet.number()).endRow();
        }
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer out = rows.buffer();
            while (out.hasRemaining()) {
                file.write(out);
            }
            file.force(false);
        }
    }

    /**
     * Streams the bets stored in {@code path}, row by row, never the whole file in memory. Close
     * the stream when done.
     */
    public static Stream<Bet> loadBets(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            return loadBets(path, file.size());
        }
    }

    /** The first {@code bytes} of the file, as {@link #loadBets(Path)} reads it; safe beside a writer. */
    static Stream<Bet> loadBets(Path path, long bytes) throws IOException {
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

    /** The winners' documents by agency, as the course's helpers find them: load_bets, then has_won. */
    public static Map<Integer, List<String>> winnersByAgency(Path csv) throws IOException {
        Map<Integer, List<String>> winners = new HashMap<>();
        try (Stream<Bet> bets = loadBets(csv)) {
            bets.filter(BetStorage::hasWon).forEach(b -> winners.computeIfAbsent(b.agency(), a -> new ArrayList<>()).add(b.document()));
        }
        return winners;
    }
}
