package ar.loteria.central.store;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The explicit repair of a store the central refuses to start on:
 * {@code java -cp reactor-server.jar ar.loteria.central.store.Repair <store directory>}. It first
 * copies each of the store's files to {@code <file>.damaged-<UTC stamp>}, then keeps the longest
 * prefix it can verify (every commit record intact, every group of rows of bets.csv matching
 * its checksum), writes the log it keeps aside and renames it over the old one (a repair killed
 * midway leaves either log whole, and runs again), then cuts bets.csv to match, records a clean
 * stop, and says what it kept and dropped:
 * the bytes, and per agency the bets and the ALL_SENT the damaged files claimed beyond the prefix.
 * A log whose 18-byte header is damaged keeps the records that still verify, under a new header.
 * A version-2 log, which has no checksums of the rows, keeps the groups whose rows parse as the
 * store writes them and add up to the offsets it gives, and is rewritten as version 3.
 * Agencies then resend what was dropped, from where WELCOME tells them the central stands.
 * Exit code 0 when the store is whole or was repaired, 1 when it could not be.
 */
public final class Repair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * The longest verified prefix, and why it ends where it does (null: the files are whole).
     * {@code newHeader}: the log's header must be written anew; {@code converted}: the log is
     * rewritten as version 3, with these commits (null: its first {@code logBytes} are kept).
     */
    private record Prefix(Ledger kept, long commits, long logBytes, long csvBytes, String problem, Map<Integer, Progress> claimed,
            boolean newHeader, List<CommitLog.Commit> converted) {
        static Prefix empty(String problem) {
            return new Prefix(new Ledger(), 0, 0, 0, problem, Map.of(), false, null);
        }
    }

    /** Whether a group's rows verify, and their CRC-32C. */
    private record Verdict(String problem, int crc) {
    }

    /** The records of a log, one after the other. */
    @FunctionalInterface
    private interface Records {
        CommitReader.Read next() throws IOException;
    }

    /** The most bytes of rows the repair reads at once to parse a version-2 group; the journal's groups are far smaller. */
    private static final long MAX_LEGACY_GROUP = 64L << 20;

    private final Path directory;
    private final PrintStream out;
    private final Clock clock;
    private final Store.FileOpener files;

    Repair(Path directory, PrintStream out, Clock clock) {
        this(directory, out, clock, FileChannel::open);
    }

    /** Writing the store's files through {@code files}: tests interrupt it there. */
    Repair(Path directory, PrintStream out, Clock clock, Store.FileOpener files) {
        this.directory = directory;
        this.out = out;
        this.clock = clock;
        this.files = files;
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp reactor-server.jar " + Repair.class.getName() + " <store directory>");
            System.exit(1);
        }
        try {
            new Repair(Path.of(args[0]), System.out, Clock.systemUTC()).run();
        } catch (IOException e) {
            System.err.println("repair failed, nothing is repaired (copies made so far are kept): " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /** The command that repairs the store in {@code directory}, for the line that refuses it. */
    public static String command(Path directory) {
        String jar;
        try {
            jar = Path.of(Repair.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            jar = "reactor-server.jar";
        }
        return "java -cp " + jar + " " + Repair.class.getName() + " " + directory.toAbsolutePath().normalize();
    }

    void run() throws IOException {
        Path csvPath = directory.resolve(Store.BETS_FILE);
        Path commitsPath = directory.resolve(Store.COMMITS_FILE);
        Path statePath = directory.resolve(StoreState.FILE);
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        Prefix prefix = verifiedPrefix(csvPath, commitsPath);
        String stateProblem = stateProblem(prefix);
        if (prefix.problem() == null && stateProblem == null) {
            out.println("the store in " + directory + " verifies whole (" + prefix.commits() + " commits, " + prefix.csvBytes()
                    + " bytes of bets.csv) and was left cleanly: nothing to repair");
            return;
        }
        out.println("found: " + (prefix.problem() != null ? prefix.problem() : stateProblem));
        String stamp = ".damaged-" + STAMP.format(clock.instant());
        for (int n = 2; copiesExist(stamp, csvPath, commitsPath, statePath); n++) { // a run again within the second keeps the first run's copies
            stamp = ".damaged-" + STAMP.format(clock.instant()) + "-" + n;
        }
        List<String> copied = new ArrayList<>();
        for (Path file : List.of(csvPath, commitsPath, statePath)) {
            if (Files.exists(file)) {
                Path copy = file.resolveSibling(file.getFileName() + stamp);
                Files.copy(file, copy);
                try (FileChannel c = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
                copied.add(copy.getFileName().toString());
            }
        }
        StoreState.forceDirectory(directory);
        out.println("copied: " + String.join(", ", copied));
        // Until the repair ends the store is damaged, whatever bets.state said: a repair killed
        // from here on leaves a store that the central refuses and that this command repairs again.
        StoreState.damaged("a repair of it did not finish: " + (prefix.problem() != null ? prefix.problem() : stateProblem)).write(directory);
        long csvBefore = Files.exists(csvPath) ? Files.size(csvPath) : 0;
        long logBefore = Files.exists(commitsPath) ? Files.size(commitsPath) : 0;
        Path fresh = commitsPath.resolveSibling(Store.COMMITS_FILE + ".new");
        writeLog(fresh, commitsPath, prefix);
        Files.move(fresh, commitsPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        StoreState.forceDirectory(directory); // the new log's name is durable before any row is cut to match it
        try (FileChannel csv = files.open(csvPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            csv.truncate(prefix.csvBytes());
            csv.force(true);
            StoreState.closed(Files.size(commitsPath), csv.size()).write(directory);
        }
        out.println("kept: " + prefix.kept().bets() + " bets in " + prefix.commits() + " commits, the first " + prefix.csvBytes()
                + " bytes of bets.csv; agencies done: " + prefix.kept().doneAgencies());
        if (prefix.newHeader()) {
            out.println("rewrote: the header of bets.commits; its records were kept as they were");
        }
        if (prefix.converted() != null) {
            out.println("converted: the kept commits of the version-2 bets.commits to version 3, with the checksums of their rows");
            out.println("dropped: " + Math.max(0, csvBefore - prefix.csvBytes()) + " bytes of bets.csv, the version-2 records past byte "
                    + prefix.logBytes() + " of bets.commits (of " + logBefore + ")");
        } else {
            out.println("dropped: " + Math.max(0, csvBefore - prefix.csvBytes()) + " bytes of bets.csv, "
                    + Math.max(0, logBefore - Math.max(prefix.logBytes(), CommitLog.MAGIC.length)) + " bytes of bets.commits");
        }
        for (var claimed : prefix.claimed().entrySet()) {
            Progress kept = prefix.kept().progress(claimed.getKey());
            Progress lost = claimed.getValue();
            if (lost.stored() > kept.stored() || lost.done() && !kept.done()) {
                out.println("dropped: agency " + claimed.getKey() + ": " + (lost.stored() - kept.stored()) + " bets (it had " + lost.stored()
                        + ", now " + kept.stored() + ")" + (lost.done() && !kept.done() ? ", and its ALL_SENT" : ""));
            }
        }
        out.println("repaired: the central starts from here; agencies resend what was dropped, from where WELCOME tells them");
    }

    /**
     * Writes the log the repair keeps to {@code fresh}, whole, and forces it; the damaged log
     * stays as it is until {@code fresh} is renamed over it. A repair killed before the rename
     * leaves the store as it found it, and one run again starts over: it never takes a log half
     * rewritten for the truth and cuts the rows to it.
     */
    private void writeLog(Path fresh, Path commitsPath, Prefix prefix) throws IOException {
        try (FileChannel log = files.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            CommitLog commits = new CommitLog(log);
            commits.start();
            if (prefix.converted() != null) {
                for (CommitLog.Commit c : prefix.converted()) {
                    commits.write(c);
                }
            } else if (prefix.logBytes() > CommitLog.MAGIC.length) {
                try (FileChannel old = FileChannel.open(commitsPath, StandardOpenOption.READ)) {
                    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
                    for (long position = CommitLog.MAGIC.length; position < prefix.logBytes(); ) {
                        chunk.clear().limit((int) Math.min(chunk.capacity(), prefix.logBytes() - position));
                        int n = old.read(chunk, position);
                        if (n < 0) {
                            throw new IOException("bets.commits ended at byte " + position + " while the repair copied it");
                        }
                        position += n;
                        chunk.flip();
                        while (chunk.hasRemaining()) {
                            log.write(chunk);
                        }
                    }
                }
            }
            log.force(true);
        }
    }

    private static boolean copiesExist(String stamp, Path... files) {
        for (Path file : files) {
            if (Files.exists(file.resolveSibling(file.getFileName() + stamp))) {
                return true;
            }
        }
        return false;
    }

    /** What bets.state says that a repair must clear, or null. */
    private String stateProblem(Prefix prefix) {
        try {
            StoreState state = StoreState.read(directory);
            if (state == null) {
                return prefix.commits() == 0 && prefix.csvBytes() == 0 ? null : StoreState.FILE + " is missing";
            }
            if (state.kind() == StoreState.Kind.DAMAGED) {
                return "the central found the store damaged: " + state.damage();
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Reads the files without changing them: the longest prefix whose records and rows verify. A
     * header that is not version 3's is read both ways, as version 3 under a damaged header and
     * as version 2, and the reading that verifies more is kept.
     */
    private Prefix verifiedPrefix(Path csvPath, Path commitsPath) throws IOException {
        if (!Files.exists(commitsPath)) {
            return Prefix.empty(Files.exists(csvPath) && Files.size(csvPath) > 0 ? "bets.commits is missing" : null);
        }
        try (FileChannel commits = FileChannel.open(commitsPath, StandardOpenOption.READ);
                FileChannel csv = Files.exists(csvPath) ? FileChannel.open(csvPath, StandardOpenOption.READ) : null) {
            long size = commits.size();
            byte[] head = new byte[(int) Math.min(size, CommitLog.MAGIC.length)];
            commits.read(ByteBuffer.wrap(head), 0);
            if (Arrays.equals(head, CommitLog.MAGIC)) {
                return read(new CommitReader(commits, CommitLog.MAGIC.length, size)::next, false, null, csv);
            }
            if (Arrays.equals(head, CommitLog.MAGIC_V2)) {
                return read(new LegacyReader(commits, CommitLog.MAGIC.length, size)::next, true,
                        "bets.commits is a version-2 commit log, without checksums of bets.csv", csv);
            }
            String header = "bets.commits does not start with its header (\"loteria commits 3\")";
            if (size <= CommitLog.MAGIC.length) {
                return Prefix.empty(header);
            }
            Prefix v3 = read(new CommitReader(commits, CommitLog.MAGIC.length, size)::next, false, header, csv);
            Prefix v2 = read(new LegacyReader(commits, CommitLog.MAGIC.length, size)::next, true, header + ", read as version 2", csv);
            return v2.csvBytes() > v3.csvBytes() || v2.csvBytes() == v3.csvBytes() && v2.commits() > v3.commits() ? v2 : v3;
        }
    }

    /**
     * The longest prefix of {@code records} whose rows verify: against their checksums, or for a
     * version-2 log ({@code legacy}) by parsing them. {@code opening}: what is wrong before any
     * record (the header), or null.
     */
    private static Prefix read(Records records, boolean legacy, String opening, FileChannel csv) throws IOException {
        long csvSize = csv == null ? 0 : csv.size();
        Ledger kept = new Ledger();
        List<CommitLog.Commit> converted = legacy ? new ArrayList<>() : null;
        long csvBytes = 0;
        long count = 0;
        long logBytes = CommitLog.MAGIC.length;
        String problem = null;
        Ledger claimed = null;
        while (true) {
            CommitReader.Read read = records.next(); // an I/O error stops the repair: what the disk does not give back now may be read later
            if (read instanceof CommitReader.Read.Intact intact) {
                CommitLog.Commit c = intact.commit();
                if (problem == null) {
                    Verdict verdict = check(c, intact.at(), csvBytes, csv, csvSize, kept, legacy);
                    if (verdict.problem() == null) {
                        c.entries().forEach(kept::replay);
                        if (legacy) {
                            converted.add(new CommitLog.Commit(c.csvBytes(), verdict.crc(), c.entries()));
                        }
                        csvBytes = c.csvBytes();
                        logBytes = intact.next();
                        count++;
                        continue;
                    }
                    problem = verdict.problem();
                    claimed = copyOf(kept);
                }
                for (CommitLog.Entry e : c.entries()) { // what the damaged part claimed, as far as it reads
                    if (e.kind() != CommitLog.Kind.BATCH || e.offset() >= claimed.progress(e.agency()).stored()) {
                        claimed.replay(e);
                    }
                }
            } else if (read instanceof CommitReader.Read.End) {
                break;
            } else {
                String why = read instanceof CommitReader.Read.Torn torn ? "bets.commits is cut short: " + torn.why()
                        : "bets.commits is damaged: " + ((CommitReader.Read.Bad) read).why();
                problem = problem == null ? why : problem + "; then " + why;
                break;
            }
        }
        if (problem == null && csvSize != csvBytes) {
            problem = "bets.csv holds " + csvSize + " bytes but its commits end at byte " + csvBytes;
        }
        String found = opening == null ? problem : problem == null ? opening : opening + "; then " + problem;
        return new Prefix(kept, count, logBytes, csvBytes, found, (claimed == null ? kept : claimed).all(), opening != null && !legacy, converted);
    }

    private static Ledger copyOf(Ledger ledger) {
        Ledger copy = new Ledger();
        new TreeMap<>(ledger.all()).forEach((agency, p) -> {
            copy.replay(new CommitLog.Entry(CommitLog.Kind.BATCH, agency, p.stored()));
            if (p.done()) {
                copy.replay(new CommitLog.Entry(CommitLog.Kind.AGENCY_DONE, agency, p.stored()));
            }
        });
        return copy;
    }

    /**
     * Whether the commit at {@code at} can be kept: its offsets, and its rows, against their
     * checksum or, for a version-2 log ({@code legacy}), parsed and counted against its offsets.
     */
    private static Verdict check(CommitLog.Commit c, long at, long start, FileChannel csv, long csvSize, Ledger kept, boolean legacy)
            throws IOException {
        if (c.csvBytes() < start) {
            return new Verdict("bets.commits goes back from " + start + " to " + c.csvBytes() + " bytes of bets.csv at byte " + at, 0);
        }
        Map<Integer, Long> after = new TreeMap<>();
        for (CommitLog.Entry e : c.entries()) {
            long stored = after.getOrDefault(e.agency(), kept.progress(e.agency()).stored());
            if (e.kind() == CommitLog.Kind.BATCH && e.offset() < stored) {
                return new Verdict("bets.commits takes agency " + e.agency() + " back to " + e.offset() + " bets at byte " + at, 0);
            }
            if (legacy && e.kind() == CommitLog.Kind.AGENCY_DONE && e.offset() != stored) {
                return new Verdict("bets.commits says agency " + e.agency() + " sent " + e.offset() + " bets, but it has " + stored
                        + ", at byte " + at, 0);
            }
            after.put(e.agency(), e.kind() == CommitLog.Kind.BATCH ? e.offset() : stored);
        }
        if (c.csvBytes() > csvSize) {
            return new Verdict("bets.csv holds " + csvSize + " bytes but the commit at byte " + at + " of bets.commits covers " + c.csvBytes(), 0);
        }
        if (legacy) {
            return parsed(c, at, start, csv, kept, after);
        }
        CRC32C crc = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        for (long position = start; position < c.csvBytes(); ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), c.csvBytes() - position));
            int n = csv.read(chunk, position);
            if (n < 0) {
                return new Verdict("bets.csv ends at byte " + position, 0);
            }
            crc.update(chunk.flip());
            position += n;
        }
        if ((int) crc.getValue() != c.rowsCrc()) {
            return new Verdict("bets.csv bytes " + start + " to " + c.csvBytes() + " do not match their checksum in bets.commits (the record at byte "
                    + at + ")", 0);
        }
        return new Verdict(null, c.rowsCrc());
    }

    /** The rows of a version-2 commit: whole rows, as many of each agency as its offsets moved ({@code after}), and their CRC-32C. */
    private static Verdict parsed(CommitLog.Commit c, long at, long start, FileChannel csv, Ledger kept, Map<Integer, Long> after) throws IOException {
        long length = c.csvBytes() - start;
        if (length > MAX_LEGACY_GROUP) {
            return new Verdict("the commit at byte " + at + " of bets.commits covers " + length + " bytes of bets.csv, more than any group", 0);
        }
        byte[] rows = new byte[(int) length];
        ByteBuffer b = ByteBuffer.wrap(rows);
        while (b.hasRemaining()) {
            if (csv.read(b, start + b.position()) < 0) {
                return new Verdict("bets.csv ends at byte " + (start + b.position()), 0);
            }
        }
        Map<Integer, Long> counted = new TreeMap<>();
        String broken = RowShape.count(rows, rows.length, start, counted);
        if (broken != null) {
            return new Verdict(broken + " (the group of the record at byte " + at + " of bets.commits)", 0);
        }
        Map<Integer, Long> moved = new TreeMap<>();
        after.forEach((agency, stored) -> {
            if (stored > kept.progress(agency).stored()) {
                moved.put(agency, stored - kept.progress(agency).stored());
            }
        });
        if (!counted.equals(moved)) {
            return new Verdict("bets.csv bytes " + start + " to " + c.csvBytes() + " hold rows of " + counted + " (agency=rows) but the record at byte "
                    + at + " of bets.commits moves the agencies by " + moved, 0);
        }
        return new Verdict(null, Crc32c.of(rows, 0, rows.length));
    }
}
