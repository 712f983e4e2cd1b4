package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Checks the bytes of {@code bets.csv}, fed in file order from the start of a group, against the
 * checksums of their groups: bit rot, a changed digit or comma, a row written over, are found
 * at the end of their group, with where they are.
 */
public final class GroupCheck {
    private final Groups.Cursor groups;
    private final CRC32C crc = new CRC32C();
    private Groups.Group group;
    private long position;

    /** Checks from {@code from}, where the cursor's first group starts. */
    public GroupCheck(Groups.Cursor groups, long from) {
        this.groups = groups;
        this.position = from;
    }

    /** The next {@code length} bytes of bets.csv. */
    public void update(byte[] b, int offset, int length) throws IOException {
        while (length > 0) {
            if (group == null) {
                begin();
            }
            int n = (int) Math.min(length, group.end() - position);
            crc.update(b, offset, n);
            position += n;
            offset += n;
            length -= n;
            if (position == group.end()) {
                end();
            }
        }
    }

    /** Every byte fed so far belongs to a whole group that was checked. */
    public void finish() throws Damaged {
        if (group != null) {
            throw new Damaged("bets.csv was read up to byte " + position + ", inside the group of bytes " + group.start() + " to "
                    + group.end() + ": its checksum could not be checked");
        }
    }

    /**
     * Reads the rest of the current group from {@code csv} and checks it: so that a row that does
     * not parse is reported as what it most likely is, bytes changed on disk, when they are.
     */
    public void confirm(FileChannel csv) throws IOException {
        if (group == null) {
            return;
        }
        ByteBuffer rest = ByteBuffer.allocate((int) Math.min(1 << 16, group.end() - position));
        while (group != null) {
            rest.clear().limit((int) Math.min(rest.capacity(), group.end() - position));
            int n = csv.read(rest, position);
            if (n <= 0) {
                throw new Damaged("bets.csv ends at byte " + position + ", inside a group that ends at byte " + group.end());
            }
            update(rest.array(), 0, n);
        }
    }

    private void begin() throws IOException {
        group = groups.next();
        if (group == null) {
            throw new Damaged("bets.csv holds bytes from " + position + " on that no commit of bets.commits covers");
        }
        if (group.start() != position) {
            throw new Damaged("bets.csv was read from byte " + position + " but the group there starts at byte " + group.start());
        }
        crc.reset();
    }

    private void end() throws Damaged {
        Groups.Group checked = group;
        group = null;
        if ((int) crc.getValue() != checked.crc()) {
            throw new Damaged("bets.csv bytes " + checked.start() + " to " + checked.end() + " do not match their checksum in bets.commits "
                    + "(the record at byte " + checked.record() + "): they changed on disk");
        }
    }
}
