package ar.loteria.central.draw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The draw's winners on disk, {@value #NAME} in the store's directory: each agency's documents
 * together, in the order of {@code bets.csv}, as WINNERS frames carry them (a length byte, then
 * the digits), agency after agency. Where each agency's run lies is kept in memory, one entry per
 * agency with winners, however many winners there are; answers read the file as the agencies
 * read their answers.
 *
 * <p>Written once per run of the central and forced before the first answer. No later run reads
 * it: a start that finds every agency done draws again from {@code bets.csv} and its commit log,
 * the store's truth, and writes it anew. So a file half written when a crash came is never
 * answered from, and there is nothing to verify.
 */
public final class WinnersFile implements DrawnWinners {
    public static final String NAME = "winners.draw";
    /** What the buffers of the scatter hold at most, over all agencies (but for the floor below). */
    private static final int SCATTER_BYTES = 1 << 20;
    private static final int MIN_AGENCY_BUFFER = 256;
    private static final int MAX_AGENCY_BUFFER = 64 * 1024;
    /** What an answer reads at a time: a small buffer, as thousands of agencies may be answered at once. */
    private static final int READ_BYTES = 2048;

    /** Where an agency's documents lie in the file. */
    private record Run(long offset, long bytes, long count) {
        long end() {
            return offset + bytes;
        }
    }

    private final FileChannel file;
    private final Map<Integer, Run> runs;
    private final long bets;
    private final long winners;

    private WinnersFile(FileChannel file, Map<Integer, Run> runs, long bets, long winners) {
        this.file = file;
        this.runs = runs;
        this.bets = bets;
        this.winners = winners;
    }

    /**
     * Writes the winners of {@code tally} to {@value #NAME} in {@code directory}, over whatever an
     * earlier run left there, forces it, and deletes the tally's spills. Memory: one small buffer
     * per agency with winners, about a mebibyte in all.
     */
    public static WinnersFile write(Path directory, Tallied tally) throws IOException {
        try (tally) {
            Map<Integer, Run> runs = new HashMap<>();
            long offset = 0;
            for (Map.Entry<Integer, Count> agency : new TreeMap<>(tally.perAgency()).entrySet()) {
                Count count = agency.getValue();
                runs.put(agency.getKey(), new Run(offset, count.bytes(), count.documents()));
                offset += count.bytes();
            }
            FileChannel file = FileChannel.open(directory.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Scatter scatter = new Scatter(file, runs);
                for (Spill spill : tally.spills()) {
                    spill.replay(scatter::add);
                }
                scatter.finish();
                file.force(true);
                return new WinnersFile(file, runs, tally.bets(), tally.winnerCount());
            } catch (IOException | RuntimeException | Error e) {
                file.close();
                throw e;
            }
        }
    }

    @Override
    public long bets() {
        return bets;
    }

    @Override
    public long winners() {
        return winners;
    }

    @Override
    public long count(int agency) {
        Run run = runs.get(agency);
        return run == null ? 0 : run.count();
    }

    /** Reads on the calling thread (the reactor's): a few KiB at a time of a file just written, so from the page cache. */
    @Override
    public Iterator<String> documents(int agency) {
        Run run = runs.get(agency);
        return run == null ? Collections.emptyIterator() : new Documents(run);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /**
     * Puts each winner of the spills at its place in its agency's run. The spills come in the order
     * of the file, so each run fills from its start to its end; a small buffer per agency makes
     * the writes few.
     */
    private static final class Scatter {
        private final FileChannel file;
        private final Map<Integer, Cursor> cursors = new HashMap<>();
        private final int bufferBytes;

        Scatter(FileChannel file, Map<Integer, Run> runs) {
            this.file = file;
            this.bufferBytes = Math.max(MIN_AGENCY_BUFFER, Math.min(MAX_AGENCY_BUFFER, SCATTER_BYTES / Math.max(1, runs.size())));
            runs.forEach((agency, run) -> cursors.put(agency, new Cursor(run)));
        }

        void add(int agency, byte[] b, int document, int length) throws IOException {
            Cursor cursor = cursors.get(agency);
            if (cursor == null || cursor.position + cursor.used + 1 + length > cursor.run.end()) {
                throw new IOException("the tally's spills hold more winners of agency " + agency + " than it counted");
            }
            if (cursor.buffer == null) {
                cursor.buffer = new byte[(int) Math.min(bufferBytes, cursor.run.bytes())];
            } else if (cursor.used + 1 + length > cursor.buffer.length) {
                flush(cursor);
            }
            cursor.buffer[cursor.used++] = (byte) length;
            System.arraycopy(b, document, cursor.buffer, cursor.used, length);
            cursor.used += length;
        }

        /** Writes what is buffered, and checks that every run is full. */
        void finish() throws IOException {
            for (Map.Entry<Integer, Cursor> agency : cursors.entrySet()) {
                Cursor cursor = agency.getValue();
                flush(cursor);
                if (cursor.position != cursor.run.end()) {
                    throw new IOException("the tally's spills hold fewer winners of agency " + agency.getKey() + " than it counted");
                }
            }
        }

        private void flush(Cursor cursor) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(cursor.buffer == null ? new byte[0] : cursor.buffer, 0, cursor.used);
            while (out.hasRemaining()) {
                cursor.position += file.write(out, cursor.position);
            }
            cursor.used = 0;
            if (cursor.position == cursor.run.end()) {
                cursor.buffer = null; // this agency is whole
            }
        }
    }

    /** Where the scatter stands in one agency's run. */
    private static final class Cursor {
        final Run run;
        long position;
        byte[] buffer;
        int used;

        Cursor(Run run) {
            this.run = run;
            this.position = run.offset();
        }
    }

    /** One agency's documents, read from the file a little at a time as they are taken. */
    private final class Documents implements Iterator<String> {
        private final Run run;
        private long next;
        private long left;
        /** Read and not yet taken; in read mode, null before the first read and after the last document. */
        private ByteBuffer chunk;

        Documents(Run run) {
            this.run = run;
            this.next = run.offset();
            this.left = run.count();
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public String next() {
            if (left == 0) {
                throw new NoSuchElementException();
            }
            if (chunk == null) {
                chunk = ByteBuffer.allocate((int) Math.min(READ_BYTES, run.bytes())).flip();
            }
            fill(1);
            int length = chunk.get(chunk.position()) & 0xFF;
            fill(1 + length);
            String document = new String(chunk.array(), chunk.position() + 1, length, StandardCharsets.US_ASCII);
            chunk.position(chunk.position() + 1 + length);
            if (--left == 0) {
                chunk = null;
            }
            return document;
        }

        /** Reads until {@code needed} bytes are in the chunk. */
        private void fill(int needed) {
            while (chunk.remaining() < needed) {
                chunk.compact();
                chunk.limit((int) Math.min(chunk.capacity(), chunk.position() + run.end() - next));
                int n;
                try {
                    n = file.read(chunk, next);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                chunk.flip();
                if (n <= 0) {
                    throw new UncheckedIOException(new IOException(NAME + " ends inside the winners of an agency, at byte " + next));
                }
                next += n;
            }
        }
    }
}
