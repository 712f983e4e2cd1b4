package ar.loteria.central.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The groups of rows of {@code bets.csv} as its commit log describes them, up to a committed
 * size: where each starts and ends and the CRC-32C its bytes must have. Read from the log as
 * needed, never held in memory, so that checking every row costs no memory that grows with them.
 */
public final class Groups {
    /** The rows {@code [start, end)} of bets.csv, committed by the record at byte {@code record} of bets.commits. */
    public record Group(long start, long end, int crc, long record) {
        /** Where a cursor starting at this group starts. */
        public Mark mark() {
            return new Mark(record, start);
        }
    }

    /** Where a cursor starts: the byte of a record in bets.commits, and where its rows start in bets.csv. */
    public record Mark(long record, long start) {
        /** The first group's. */
        public static final Mark FIRST = new Mark(CommitLog.MAGIC.length, 0);
    }

    private final Path commits;
    private final long logBytes;
    private final long csvBytes;
    private final Store.FileOpener files;

    Groups(Path commits, long logBytes, long csvBytes) {
        this(commits, logBytes, csvBytes, FileChannel::open);
    }

    /** Opening the log with {@code files}, the store's. */
    Groups(Path commits, long logBytes, long csvBytes, Store.FileOpener files) {
        this.commits = commits;
        this.logBytes = logBytes;
        this.csvBytes = csvBytes;
        this.files = files;
    }

    /** The committed bytes of bets.csv that these groups cover. */
    public long csvBytes() {
        return csvBytes;
    }

    /** Opens {@code csv}, the rows these groups cover, to read them, the way the store opens its files. */
    public FileChannel openRows(Path csv) throws IOException {
        return files.open(csv, StandardOpenOption.READ);
    }

    /** The groups from the first. */
    public Cursor cursor() throws IOException {
        return cursor(Mark.FIRST);
    }

    /** The groups from {@code mark} (one of {@link Group#mark}). */
    public Cursor cursor(Mark mark) throws IOException {
        return new Cursor(files.open(commits, StandardOpenOption.READ), true, logBytes, mark);
    }

    /** Groups with rows, one after the other; a record that is not intact is {@link Damaged}. */
    public static final class Cursor implements Closeable {
        private final FileChannel file;
        private final boolean owned;
        private final CommitReader reader;
        private long end;

        Cursor(FileChannel file, boolean owned, long logBytes, Mark from) {
            this.file = file;
            this.owned = owned;
            this.reader = new CommitReader(file, from.record(), logBytes);
            this.end = from.start();
        }

        /** The next group that adds rows, or null after the last. */
        public Group next() throws IOException {
            while (true) {
                CommitReader.Read read = reader.next();
                if (read instanceof CommitReader.Read.Intact intact) {
                    long start = end;
                    end = intact.commit().csvBytes();
                    if (end < start) {
                        throw new Damaged("bets.commits goes back from " + start + " to " + end + " bytes of bets.csv at byte " + intact.at());
                    }
                    if (end > start) {
                        return new Group(start, end, intact.commit().rowsCrc(), intact.at());
                    }
                } else if (read instanceof CommitReader.Read.End) {
                    return null;
                } else if (read instanceof CommitReader.Read.Torn torn) {
                    throw new Damaged("bets.commits is damaged: " + torn.why());
                } else {
                    throw new Damaged("bets.commits is damaged: " + ((CommitReader.Read.Bad) read).why());
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (owned) {
                file.close();
            }
        }
    }
}
