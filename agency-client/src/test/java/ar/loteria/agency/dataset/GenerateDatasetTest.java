package ar.loteria.agency.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.wire.Bet;
import ar.loteria.wire.BetRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateDatasetTest {
    private static final Pattern EIGHT_DIGITS = Pattern.compile("\\d{8}");
    private static final Pattern ACCENTED = Pattern.compile("[áéíóúÁÉÍÓÚñÑü]");

    @TempDir
    Path tmp;

    /** What a run printed and returned. */
    private record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GenerateDataset.run(args, print(out), print(err));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(OutputStream sink) {
        return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    private Path generate(String dirName, int agencies, int bets, long seed) {
        Path dir = tmp.resolve(dirName);
        Run r = run("--out", dir.toString(), "--agencies", Integer.toString(agencies),
                "--bets", Integer.toString(bets), "--seed", Long.toString(seed));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        return dir;
    }

    /** The file's lines without their CRLF; fails unless every line, the last one too, ends in CRLF. */
    private static List<String> crlfLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\r\n"), file + " does not end in CRLF");
        List<String> lines = Arrays.asList(text.substring(0, text.length() - 2).split("\r\n", -1));
        for (String line : lines) {
            assertFalse(line.contains("\r") || line.contains("\n"), "a line ends in a lone CR or LF: " + line);
        }
        return lines;
    }

    private static long winnersIn(List<String> lines) {
        return lines.stream().filter(l -> l.endsWith("," + GenerateDataset.WINNING_NUMBER)).count();
    }

    @Test
    void theSameArgumentsWriteTheSameBytesAndAnotherSeedOtherBytes() throws IOException {
        Path first = generate("first", 3, 2000, 42);
        Path again = generate("again", 3, 2000, 42);
        Path otherSeed = generate("other", 3, 2000, 43);
        for (int k = 1; k <= 3; k++) {
            String name = "agency-" + k + ".csv";
            assertArrayEquals(Files.readAllBytes(first.resolve(name)), Files.readAllBytes(again.resolve(name)), name);
            assertNotEquals(-1L, Files.mismatch(first.resolve(name), otherSeed.resolve(name)), name);
        }
        assertNotEquals(-1L, Files.mismatch(first.resolve("agency-1.csv"), first.resolve("agency-2.csv")));
        assertNotEquals(-1L, Files.mismatch(first.resolve("agency-2.csv"), first.resolve("agency-3.csv")));
    }

    @Test
    void everyLineIsAValidBetInTheCoursesFormat() throws IOException {
        Path dir = generate("data", 2, 5000, 7574);
        LocalDate today = LocalDate.of(2026, 1, 1);
        boolean accents = false;
        boolean twoFirstNames = false;
        for (int k = 1; k <= 2; k++) {
            List<String> lines = crlfLines(dir.resolve("agency-" + k + ".csv"));
            assertEquals(5000, lines.size());
            Set<String> documents = new HashSet<>();
            for (String line : lines) {
                String[] f = line.split(",", -1);
                assertEquals(5, f.length, line);
                for (String name : List.of(f[0], f[1])) {
                    assertFalse(name.isBlank() || name.contains("\"") || name.contains("'"), line);
                    assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= BetRules.MAX_NAME_BYTES, line);
                    assertEquals(name.strip(), name, line);
                }
                assertTrue(EIGHT_DIGITS.matcher(f[2]).matches(), line);
                assertTrue(documents.add(f[2]), "document repeated: " + line);
                LocalDate birthdate = LocalDate.parse(f[3]); // ISO yyyy-MM-dd, a real date
                assertEquals(f[3], birthdate.toString(), line);
                assertFalse(birthdate.isBefore(GenerateDataset.FIRST_BIRTHDATE) || birthdate.isAfter(GenerateDataset.LAST_BIRTHDATE), line);
                int number = Integer.parseInt(f[4]);
                assertTrue(number >= 0 && number <= 9999, line);
                assertEquals(Integer.toString(number), f[4], line);
                // The rules the agency and the central apply to every bet.
                assertEquals(Optional.empty(), BetRules.check(new Bet(f[0], f[1], f[2], f[3], number), today), line);
                accents |= ACCENTED.matcher(f[0] + f[1]).find();
                twoFirstNames |= f[0].contains(" ");
            }
        }
        assertTrue(accents, "no name with an accent");
        assertTrue(twoFirstNames, "nobody with two first names");
    }

    @Test
    void documentsStayUniqueInALargeFile() throws IOException {
        Path dir = generate("large", 1, 300_000, 1);
        Set<Integer> documents = new HashSet<>();
        try (Stream<String> lines = Files.lines(dir.resolve("agency-1.csv"))) {
            lines.forEach(line -> {
                String document = line.split(",")[2];
                assertTrue(documents.add(Integer.valueOf(document)), "document repeated: " + document);
            });
        }
        assertEquals(300_000, documents.size());
    }

    @Test
    void theReportCountsTheBetsAndTheWinnersOfEachFile() throws IOException {
        Path dir = tmp.resolve("data");
        Run r = run("--out", dir.toString(), "--agencies", "3", "--bets", "20000", "--seed", "5");
        assertEquals(0, r.exitCode(), r.err());
        List<String> expected = new ArrayList<>();
        long totalWinners = 0;
        for (int k = 1; k <= 3; k++) {
            long winners = winnersIn(crlfLines(dir.resolve("agency-" + k + ".csv")));
            expected.add("agency-" + k + ".csv: 20000 bets, " + winners + " winners");
            totalWinners += winners;
        }
        expected.add("total: 60000 bets, " + totalWinners + " winners");
        assertEquals(expected, r.outLines());
        assertTrue(totalWinners > 0, "60000 uniform bets and not one on 7574: the numbers are not uniform");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(3, files.count(), "only the agencies' files are left behind");
        }
    }

    @Test
    void theDefaultsAreFiveAgenciesOfTwentyThousandBetsIntoDotData() {
        assertEquals(new GenerateDataset.Options(Path.of(".data"), 5, 20_000, 7574), GenerateDataset.Options.parse(new String[0]));
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithTwo() {
        Path dir = tmp.resolve("data");
        List<String[]> bad = List.of(
                new String[] {"--bets", "many"},
                new String[] {"--bets", "-1"},
                new String[] {"--agencies", "0"},
                new String[] {"--seed", "1.5"},
                new String[] {"--out"},
                new String[] {"--colour", "blue"},
                new String[] {"--out", dir.toString(), "extra"});
        for (String[] args : bad) {
            Run r = run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args));
            assertTrue(r.err().contains("usage: GenerateDataset"), r.err());
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(dir), "nothing is written on bad arguments");
    }

    private static void zip(Path zip, Map<String, String> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    @Test
    void theCoursesZipIsExtractedFlatInsteadOfGenerating() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        String one = "Santiago Lionel,Lorca,30904465,1999-03-17,7574\r\nMaría José,Fornerón,30904466,1985-12-01,123\r\n";
        String two = "Inés,Núñez,20123456,1970-05-05,7574\r\n";
        String three = "Martín,Peña,40111222,2001-01-31,7574\r\nJosé,Gómez,40111223,2001-02-01,7573\r\nAna,Paz,40111224,2002-02-02,1\r\n";
        zip(dir.resolve("dataset.zip"), Map.of(
                "agency-1.csv", one,
                "somedir/", "",
                "somedir/agency-2.csv", two,
                "../agency-3.csv", three,
                "README.txt", "not bets",
                "__MACOSX/._agency-1.csv", "resource fork"));

        Run r = run("--out", dir.toString(), "--agencies", "7", "--bets", "10", "--seed", "1");

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(
                "agency-1.csv: 2 bets, 1 winners",
                "agency-2.csv: 1 bets, 1 winners",
                "agency-3.csv: 3 bets, 1 winners",
                "total: 6 bets, 3 winners"), r.outLines());
        assertEquals(one, Files.readString(dir.resolve("agency-1.csv")));
        assertEquals(two, Files.readString(dir.resolve("agency-2.csv")));
        assertEquals(three, Files.readString(dir.resolve("agency-3.csv")));
        assertFalse(Files.exists(tmp.resolve("agency-3.csv")), "an entry escaped the output folder");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("dataset.zip", "agency-1.csv", "agency-2.csv", "agency-3.csv"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()),
                    "extracted flat, nothing else, nothing generated");
        }
    }

    @Test
    void aZipWithoutAgencyFilesIsAnError() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        zip(dir.resolve("dataset.zip"), Map.of("README.txt", "not bets"));
        Run r = run("--out", dir.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("holds no agency-<n>.csv"), r.err());
        assertEquals("", r.out());
    }
}
