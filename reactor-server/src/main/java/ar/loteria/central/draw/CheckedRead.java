package ar.loteria.central.draw;

import ar.loteria.central.store.Damaged;
import ar.loteria.central.store.GroupCheck;
import ar.loteria.central.store.Groups;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads committed rows of bets.csv into a {@link Tally}, a mebibyte at a time, each group checked
 * against the checksum of its commit record as its bytes come: changed bytes are {@link Damaged},
 * never a different answer.
 */
final class CheckedRead {
    private CheckedRead() {
    }

    /**
     * Reads bets.csv from the start of the group at {@code from} up to {@code to}, a group's end,
     * into {@code tally}, which starts there. A row that does not parse is reported as changed
     * bytes when its group's checksum says so (the likelier cause), as a row that does not parse
     * otherwise.
     */
    static void read(Path csv, Groups groups, Groups.Mark from, long to, Tally tally) throws IOException {
        try (FileChannel file = groups.openRows(csv); Groups.Cursor cursor = groups.cursor(from)) {
            GroupCheck check = new GroupCheck(cursor, from.start());
            for (long position = from.start(); position < to; ) {
                ByteBuffer room = tally.room(to - position);
                int at = room.position();
                int n = file.read(room, position);
                if (n < 0) {
                    throw new Damaged("bets.csv ends at byte " + position + ", before its committed " + to + " bytes");
                }
                check.update(room.array(), at, n);
                position += n;
                try {
                    tally.filled(n);
                } catch (Malformed e) {
                    check.confirm(file);
                    throw e;
                }
            }
            check.finish();
        }
    }
}
