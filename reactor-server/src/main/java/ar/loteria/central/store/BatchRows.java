package ar.loteria.central.store;

import ar.loteria.wire.BatchReader;
import ar.loteria.wire.WireError;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * One batch checked and turned into rows of {@code bets.csv}, by a worker: the part of storing
 * that many threads can do at once. Rows are written straight from the frame's bytes, in the
 * dialect of Python's {@code csv.writer} ({@link CsvWriter}), and where each row ends is kept, so
 * that the journal can write only the bets it does not hold yet. Their CRC-32C is taken here too,
 * while they are in the cache, for the journal to combine into its group's checksum.
 */
final class BatchRows implements BatchReader.Sink {
    private final byte[] agency;
    private byte[] csv;
    private int length;
    private int[] rowEnds = new int[64];
    private int rows;
    private int crc;
    private BatchReader.Result result;
    /** The number whose bets are noted as the rows are made. */
    private final int watched;
    /** For each bet noted: its row, where its document starts in {@link #csv}, its length. */
    private int[] notes;
    private int noted;

    private BatchRows(int agency, byte[] csv, int watched) {
        this.agency = Integer.toString(agency).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.csv = csv;
        this.watched = watched;
    }

    /**
     * Checks and encodes the payload of a BET_BATCH of {@code agency}, its first {@code length}
     * bytes (its prefix already checked), noting the bets on {@code watched} (see
     * {@link #watchedFrom}); the rows go into an array from {@code arrays}.
     */
    static BatchRows of(int agency, byte[] payload, int length, LocalDate today, int watched, ArrayPool arrays) {
        BatchRows rows = new BatchRows(agency, arrays.take(capacity(length)), watched);
        rows.result = BatchReader.read(payload, 0, length, today, rows);
        rows.crc = Crc32c.of(rows.csv, 0, rows.length);
        return rows;
    }

    /** Room for the rows of a payload of {@code length} bytes: they are rarely longer (a quoted name grows the array). */
    static int capacity(int length) {
        return length + length / 4 + 64;
    }

    long firstOffset() {
        return result.firstOffset();
    }

    int count() {
        return result.count();
    }

    /** The broken rule, or null when every bet is valid. */
    WireError error() {
        return result.error();
    }

    /** The array the rows are in, for the pool once nothing reads them any more. */
    byte[] array() {
        return csv;
    }

    /** The bytes of all the rows. */
    int length() {
        return length;
    }

    /** The CRC-32C of the rows of the batch's bets from the {@code from}-th on (0-based). */
    int crcFrom(int from) {
        if (from == 0) {
            return crc;
        }
        int start = rowEnds[from - 1];
        return Crc32c.of(csv, start, length - start); // a resend that overlaps: rare, and small
    }

    /** Tells {@code watch} the bets on its number from the {@code from}-th on (0-based), in order. */
    void watchedFrom(int from, int agencyNumber, BetWatch watch) {
        for (int n = 0; n < noted; n += 3) {
            if (notes[n] >= from) {
                watch.noted(agencyNumber, csv, notes[n + 1], notes[n + 2]);
            }
        }
    }

    /** The rows of the batch's bets from the {@code from}-th on (0-based), ready to write. */
    ByteBuffer rowsFrom(int from) {
        int start = from == 0 ? 0 : rowEnds[from - 1];
        return ByteBuffer.wrap(csv, start, length - start);
    }

    @Override
    public void bet(byte[] b, int first, int firstLength, int last, int lastLength, int document, int documentLength, int birthdate, int number) {
        ensure(agency.length + 2 * firstLength + 2 * lastLength + documentLength + 10 + 4 + 12);
        put(agency, 0, agency.length);
        csv[length++] = ',';
        putText(b, first, firstLength);
        csv[length++] = ',';
        putText(b, last, lastLength);
        csv[length++] = ',';
        if (number == watched) {
            note(length, documentLength);
        }
        put(b, document, documentLength);
        csv[length++] = ',';
        put(b, birthdate, 10);
        csv[length++] = ',';
        length = CsvWriter.putDecimal(csv, length, number);
        csv[length++] = '\r';
        csv[length++] = '\n';
        if (rows == rowEnds.length) {
            rowEnds = Arrays.copyOf(rowEnds, rows * 2);
        }
        rowEnds[rows++] = length;
    }

    private void note(int document, int documentLength) {
        if (notes == null) {
            notes = new int[3];
        } else if (noted == notes.length) {
            notes = Arrays.copyOf(notes, noted * 2);
        }
        notes[noted++] = rows;
        notes[noted++] = document;
        notes[noted++] = documentLength;
    }

    /** A name, quoted as QUOTE_MINIMAL quotes it: only when it holds a comma or a quote (line breaks never pass the rules). */
    private void putText(byte[] b, int off, int len) {
        boolean quote = false;
        for (int i = off; i < off + len; i++) {
            if (b[i] == ',' || b[i] == '"') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            put(b, off, len);
            return;
        }
        csv[length++] = '"';
        for (int i = off; i < off + len; i++) {
            if (b[i] == '"') {
                csv[length++] = '"';
            }
            csv[length++] = b[i];
        }
        csv[length++] = '"';
    }

    private void put(byte[] b, int off, int len) {
        System.arraycopy(b, off, csv, length, len);
        length += len;
    }

    private void ensure(int more) {
        if (length + more > csv.length) {
            csv = Arrays.copyOf(csv, Math.max(csv.length * 2, length + more));
        }
    }
}
