package ar.loteria.central.store;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The explicit repair of a store the central refuses to start on:
 * {@code java -cp reactor-server.jar ar.loteria.central.store.Repair <store directory>}. It first
 * copies each of the store's files to {@code <file>.damaged-<UTC stamp>}, then keeps the longest
 * prefix it can verify (every commit record intact, every group of rows of bets.csv matching
 * its checksum), cuts both files there, records a clean stop, and says what it dropped: the
 * bytes, and per agency the bets and the ALL_SENT the damaged files claimed beyond the prefix.
 * Agencies then resend what was dropped, from where WELCOME tells them the central stands.
 * Exit code 0 when the store is whole or was repaired, 1 when it could not be.
 */
public final class Repair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The longest verified prefix, and why it ends where it does (null: the files are whole). */
    private record Prefix(Ledger kept, long commits, long logBytes, long csvBytes, String problem, Map<Integer, Progress> claimed) {
    }

    private final Path directory;
    private final PrintStream out;
    private final Clock clock;

    Repair(Path directory, PrintStream out, Clock clock) {
        this.directory = directory;
        this.out = out;
        this.clock = clock;
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
        long csvBefore = Files.exists(csvPath) ? Files.size(csvPath) : 0;
        long logBefore = Files.exists(commitsPath) ? Files.size(commitsPath) : 0;
        try (FileChannel commits = FileChannel.open(commitsPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel csv = FileChannel.open(csvPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (prefix.logBytes() < CommitLog.MAGIC.length) {
                Recovery.start(commits);
            } else {
                commits.truncate(prefix.logBytes());
                commits.force(true);
            }
            csv.truncate(prefix.csvBytes());
            csv.force(true);
            StoreState.closed(commits.size(), csv.size()).write(directory);
        }
        out.println("kept: " + prefix.kept().bets() + " bets in " + prefix.commits() + " commits, the first " + prefix.csvBytes()
                + " bytes of bets.csv; agencies done: " + prefix.kept().doneAgencies());
        out.println("dropped: " + Math.max(0, csvBefore - prefix.csvBytes()) + " bytes of bets.csv, "
                + Math.max(0, logBefore - Math.max(prefix.logBytes(), CommitLog.MAGIC.length)) + " bytes of bets.commits");
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

    /** Reads the files without changing them: the longest prefix whose records and rows verify. */
    private Prefix verifiedPrefix(Path csvPath, Path commitsPath) throws IOException {
        Ledger kept = new Ledger();
        if (!Files.exists(commitsPath)) {
            return new Prefix(kept, 0, 0, 0, Files.exists(csvPath) && Files.size(csvPath) > 0 ? "bets.commits is missing" : null, Map.of());
        }
        try (FileChannel commits = FileChannel.open(commitsPath, StandardOpenOption.READ);
                FileChannel csv = Files.exists(csvPath) ? FileChannel.open(csvPath, StandardOpenOption.READ) : null) {
            long csvSize = csv == null ? 0 : csv.size();
            byte[] head = new byte[(int) Math.min(commits.size(), CommitLog.MAGIC.length)];
            commits.read(ByteBuffer.wrap(head), 0);
            if (!java.util.Arrays.equals(head, CommitLog.MAGIC)) {
                return new Prefix(kept, 0, 0, 0, "bets.commits does not start with its header (\"loteria commits 3\")", Map.of());
            }
            CommitReader reader = new CommitReader(commits, CommitLog.MAGIC.length, commits.size());
            long csvBytes = 0;
            long count = 0;
            long logBytes = CommitLog.MAGIC.length;
            String problem = null;
            Ledger claimed = null;
            while (true) {
                CommitReader.Read read = reader.next();
                if (read instanceof CommitReader.Read.Intact intact) {
                    CommitLog.Commit c = intact.commit();
                    if (problem == null) {
                        problem = check(c, intact.at(), csvBytes, csv, csvSize, kept);
                        if (problem == null) {
                            c.entries().forEach(kept::replay);
                            csvBytes = c.csvBytes();
                            logBytes = intact.next();
                            count++;
                            continue;
                        }
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
            return new Prefix(kept, count, logBytes, csvBytes, problem, (claimed == null ? kept : claimed).all());
        }
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

    /** Why the commit at {@code at} cannot be kept, or null: its offsets, and its rows against their checksum. */
    private static String check(CommitLog.Commit c, long at, long start, FileChannel csv, long csvSize, Ledger kept) throws IOException {
        if (c.csvBytes() < start) {
            return "bets.commits goes back from " + start + " to " + c.csvBytes() + " bytes of bets.csv at byte " + at;
        }
        for (CommitLog.Entry e : c.entries()) {
            if (e.kind() == CommitLog.Kind.BATCH && e.offset() < kept.progress(e.agency()).stored()) {
                return "bets.commits takes agency " + e.agency() + " back to " + e.offset() + " bets at byte " + at;
            }
        }
        if (c.csvBytes() > csvSize) {
            return "bets.csv holds " + csvSize + " bytes but the commit at byte " + at + " of bets.commits covers " + c.csvBytes();
        }
        CRC32C crc = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        for (long position = start; position < c.csvBytes(); ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), c.csvBytes() - position));
            int n = csv.read(chunk, position);
            if (n < 0) {
                return "bets.csv ends at byte " + position;
            }
            crc.update(chunk.flip());
            position += n;
        }
        if ((int) crc.getValue() != c.rowsCrc()) {
            return "bets.csv bytes " + start + " to " + c.csvBytes() + " do not match their checksum in bets.commits (the record at byte " + at + ")";
        }
        return null;
    }
}
