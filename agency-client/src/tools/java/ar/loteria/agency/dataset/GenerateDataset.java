package ar.loteria.agency.dataset;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Writes the agencies' bets files, {@code DIR/agency-1.csv} to {@code DIR/agency-N.csv}, in the
 * course's format ({@code first_name,last_name,document,birthdate,number}, UTF-8, CRLF, no
 * header), the same bytes for the same seed. When {@code DIR/dataset.zip} (the course's real
 * data) is there, it extracts that instead. Either way it prints how many bets and winners each
 * file holds, so that a run can be checked against the central's answers.
 */
public final class GenerateDataset {
    /** The number the central draws: a bet on it wins. */
    static final int WINNING_NUMBER = 7574;
    /** Documents are 8 digits, so there are this many, from 10000000. */
    static final int DOCUMENT_COUNT = 90_000_000;
    static final int FIRST_DOCUMENT = 10_000_000;
    static final LocalDate FIRST_BIRTHDATE = LocalDate.of(1940, 1, 1);
    static final LocalDate LAST_BIRTHDATE = LocalDate.of(2005, 12, 31);

    private static final String ZIP_NAME = "dataset.zip";
    private static final Pattern AGENCY_FILE = Pattern.compile("agency-(\\d+)\\.csv");
    /** How often a person has a second first name ("Santiago Lionel"), in percent. */
    private static final int TWO_FIRST_NAMES_PERCENT = 30;
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: GenerateDataset [--out DIR] [--agencies N] [--bets B] [--seed S]",
            "  writes DIR/agency-1.csv .. DIR/agency-N.csv, B bets each, the same for the same seed",
            "  (defaults: --out .data --agencies 5 --bets 20000 --seed 7574);",
            "  if DIR/dataset.zip exists, extracts its agency-<n>.csv files into DIR instead",
            "  and ignores --agencies, --bets and --seed");

    private static final String[] MALE_NAMES = {
        "José", "Juan", "Martín", "Sebastián", "Agustín", "Joaquín", "Nicolás", "Tomás", "Matías",
        "Lucas", "Santiago", "Lionel", "Mateo", "Benjamín", "Facundo", "Gonzalo", "Ramón", "Julián",
        "Máximo", "Emiliano", "Andrés", "Germán", "Hernán", "Rubén", "Óscar", "Simón", "Valentín",
        "Iván", "Damián", "Cristián", "Fabián", "Adrián", "Ezequiel", "Diego", "Pablo", "Federico",
        "Ignacio", "Rodrigo", "Maximiliano", "Bautista", "Thiago", "Lautaro", "Ángel", "Héctor",
        "Raúl", "Jesús", "Ulises", "Gastón", "Leandro", "Franco", "Alejandro", "Carlos", "Jorge",
        "Luis", "Miguel", "Ricardo", "Sergio", "Daniel", "Marcos", "Víctor", "Néstor", "Darío",
    };
    private static final String[] FEMALE_NAMES = {
        "María", "Inés", "Lucía", "Sofía", "Valentina", "Martina", "Camila", "Florencia", "Julieta",
        "Agustina", "Belén", "Mónica", "Verónica", "Natalia", "Andrea", "Ana", "Paula", "Carolina",
        "Romina", "Soledad", "Rocío", "Milagros", "Luciana", "Micaela", "Antonella", "Jimena",
        "Josefina", "Catalina", "Ángela", "Mía", "Abril", "Candela", "Guadalupe", "Noelia", "Pía",
        "Raquel", "Silvia", "Susana", "Graciela", "Beatriz", "Mercedes", "Victoria", "Lourdes",
        "Celeste", "Estefanía", "Eugenia", "Débora", "Érica", "Aída", "Noemí", "Marisol", "Rosa",
    };
    private static final String[] LAST_NAMES = {
        "González", "Rodríguez", "Gómez", "Fernández", "López", "Díaz", "Martínez", "Pérez",
        "García", "Sánchez", "Romero", "Sosa", "Álvarez", "Torres", "Ruiz", "Ramírez", "Flores",
        "Benítez", "Acosta", "Medina", "Herrera", "Suárez", "Aguirre", "Giménez", "Gutiérrez",
        "Pereyra", "Rojas", "Molina", "Castro", "Ortiz", "Silva", "Núñez", "Luna", "Juárez",
        "Cabrera", "Ríos", "Morales", "Godoy", "Moreno", "Ferreyra", "Domínguez", "Carrizo",
        "Peralta", "Castillo", "Ledesma", "Quiroga", "Vega", "Vera", "Muñoz", "Ojeda", "Ponce",
        "Villalba", "Cardozo", "Navarro", "Coronel", "Vázquez", "Ramos", "Vargas", "Cáceres",
        "Arias", "Figueroa", "Córdoba", "Correa", "Maldonado", "Paz", "Rivero", "Miranda",
        "Farías", "Roldán", "Méndez", "Guzmán", "Agüero", "Hernández", "Lucero", "Páez", "Ávila",
        "Ayala", "Acuña", "Leiva", "Duarte", "Moyano", "Velázquez", "Montenegro", "Leguizamón",
        "Chávez", "Peña", "Fornerón", "Ibáñez", "Zárate", "Lorca", "Rossi", "Bianchi", "Ferrari",
        "Di María", "De la Fuente", "Mac Allister", "San Martín", "Del Potro", "Otamendi",
    };

    private GenerateDataset() {
    }

    /** What one file holds, as the report prints it. */
    record FileReport(String name, long bets, long winners) {
        String line() {
            return name + ": " + bets + " bets, " + winners + " winners";
        }
    }

    /** The command line; {@link #parse} rejects what it cannot use with a one-line reason. */
    record Options(Path out, int agencies, int bets, long seed) {
        private static final List<String> OPTIONS = List.of("--out", "--agencies", "--bets", "--seed");

        static Options parse(String[] args) {
            Path out = Path.of(".data");
            int agencies = 5;
            int bets = 20_000;
            long seed = 7574;
            for (int i = 0; i < args.length; i += 2) {
                String option = args[i];
                if (!OPTIONS.contains(option)) {
                    throw new IllegalArgumentException("unknown option \"" + option + "\"");
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[i + 1];
                if (option.equals("--out")) {
                    out = Path.of(value);
                } else if (option.equals("--agencies")) {
                    agencies = parseInt(option, value, 1, Integer.MAX_VALUE);
                } else if (option.equals("--bets")) {
                    // Past the 8-digit documents there would be no unique one left to give.
                    bets = parseInt(option, value, 0, DOCUMENT_COUNT);
                } else {
                    seed = parseSeed(value);
                }
            }
            return new Options(out, agencies, bets, seed);
        }

        private static long parseSeed(String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seed must be an integer: \"" + value + "\"");
            }
        }

        private static int parseInt(String option, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below, as an out-of-range value is
            }
            throw new IllegalArgumentException(option + " must be an integer from " + min + " to " + max + ": \"" + value + "\"");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The whole command: 0 when the files are written, 1 when that fails, 2 on bad arguments. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("GenerateDataset: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<FileReport> reports;
        try {
            reports = write(options);
        } catch (IOException e) {
            err.println("GenerateDataset: " + e);
            return 1;
        }
        long bets = 0;
        long winners = 0;
        for (FileReport report : reports) {
            out.println(report.line());
            bets += report.bets();
            winners += report.winners();
        }
        out.println(new FileReport("total", bets, winners).line());
        return 0;
    }

    /** Extracts {@code out/dataset.zip} if it is there, else generates; the report is in agency order. */
    static List<FileReport> write(Options options) throws IOException {
        Files.createDirectories(options.out());
        Path zip = options.out().resolve(ZIP_NAME);
        if (Files.isRegularFile(zip)) {
            return extract(zip, options.out());
        }
        return generate(options.out(), options.agencies(), options.bets(), options.seed());
    }

    static List<FileReport> generate(Path dir, int agencies, int bets, long seed) throws IOException {
        List<FileReport> reports = new ArrayList<>(agencies);
        for (int agency = 1; agency <= agencies; agency++) {
            Path file = dir.resolve("agency-" + agency + ".csv");
            // Each agency has its own generator, so a file's content depends only on (seed, agency).
            SplittableRandom random = new SplittableRandom(mix64(mix64(seed) + agency));
            writeAtomically(file, part -> writeBets(part, bets, random));
            reports.add(count(file));
        }
        return reports;
    }

    private static void writeBets(Path file, int bets, SplittableRandom random) throws IOException {
        DocumentShuffle documents = new DocumentShuffle(random);
        long firstDay = FIRST_BIRTHDATE.toEpochDay();
        long days = LAST_BIRTHDATE.toEpochDay() - firstDay + 1;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < bets; i++) {
                String[] firstNames = random.nextBoolean() ? MALE_NAMES : FEMALE_NAMES;
                int first = random.nextInt(firstNames.length);
                out.write(firstNames[first]);
                if (random.nextInt(100) < TWO_FIRST_NAMES_PERCENT) {
                    // Any name but the first ("María María" is nobody's), each as likely.
                    int second = random.nextInt(firstNames.length - 1);
                    out.write(' ');
                    out.write(firstNames[second < first ? second : second + 1]);
                }
                out.write(',');
                out.write(LAST_NAMES[random.nextInt(LAST_NAMES.length)]);
                out.write(',');
                out.write(Integer.toString(FIRST_DOCUMENT + documents.apply(i)));
                out.write(',');
                out.write(LocalDate.ofEpochDay(firstDay + random.nextLong(days)).toString());
                out.write(',');
                out.write(Integer.toString(random.nextInt(10_000)));
                out.write("\r\n");
            }
        }
    }

    /** Extracts every {@code agency-<n>.csv} in {@code zip}, whatever folder it is in, flat into {@code dir}. */
    static List<FileReport> extract(Path zip, Path dir) throws IOException {
        record Extracted(BigInteger agency, Path file) {
        }
        List<Extracted> extracted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (ZipFile archive = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            for (Enumeration<? extends ZipEntry> entries = archive.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = baseName(entry.getName());
                Matcher agencyFile = AGENCY_FILE.matcher(name);
                // Only a bare name that matches the pattern is written, never the entry's path: no
                // separator and no "..", so nothing lands outside dir (no zip-slip).
                if (entry.isDirectory() || !agencyFile.matches()) {
                    continue;
                }
                if (!seen.add(name)) {
                    throw new IOException(zip + " holds " + name + " more than once");
                }
                Path file = dir.resolve(name);
                writeAtomically(file, part -> {
                    try (InputStream in = archive.getInputStream(entry)) {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    }
                });
                extracted.add(new Extracted(new BigInteger(agencyFile.group(1)), file));
            }
        }
        if (extracted.isEmpty()) {
            throw new IOException(zip + " holds no agency-<n>.csv");
        }
        extracted.sort(Comparator.comparing(Extracted::agency).thenComparing(Extracted::file));
        List<FileReport> reports = new ArrayList<>(extracted.size());
        for (Extracted e : extracted) {
            reports.add(count(e.file()));
        }
        return reports;
    }

    /** The entry's file name without its folders; zips made on Windows may separate with '\'. */
    private static String baseName(String entryName) {
        return entryName.substring(Math.max(entryName.lastIndexOf('/'), entryName.lastIndexOf('\\')) + 1);
    }

    /** Counts the non-empty lines of a bets file, and those whose number (the last field) is the winning one. */
    static FileReport count(Path file) throws IOException {
        long bets = 0;
        long winners = 0;
        // Latin-1 decodes any byte, and the separators and digits read the same in it as in UTF-8.
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                bets++;
                if (isWinner(line.substring(line.lastIndexOf(',') + 1).strip())) {
                    winners++;
                }
            }
        }
        return new FileReport(file.getFileName().toString(), bets, winners);
    }

    private static boolean isWinner(String number) {
        try {
            return Integer.parseInt(number) == WINNING_NUMBER;
        } catch (NumberFormatException e) {
            return false; // not a number, so no winner either; the agency rejects the line
        }
    }

    /** Something that writes a whole file. */
    private interface FileWriting {
        void writeTo(Path file) throws IOException;
    }

    /**
     * Writes {@code file} through a ".part" file moved into place at the end, so that a run cut
     * short leaves no half-written file that a later {@code make run} would take as complete.
     */
    private static void writeAtomically(Path file, FileWriting writing) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            writing.writeTo(part);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Stafford's variant 13 of MurmurHash3's finalizer: every input bit affects every output bit. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A keyed shuffle of 0 .. {@link #DOCUMENT_COUNT}-1: bet i gets document {@code apply(i)}, so a
     * file's documents look random yet never repeat, without remembering the ones already given.
     * A 4-round Feistel network permutes 28-bit values; walking its cycle until the value is in
     * range again restricts it to a permutation of the smaller range.
     */
    private static final class DocumentShuffle {
        private static final int HALF_BITS = 14; // 2^28 > 90,000,000
        private static final int HALF_MASK = (1 << HALF_BITS) - 1;
        private static final int ROUNDS = 4;

        private final long[] keys;

        DocumentShuffle(SplittableRandom random) {
            keys = random.longs(ROUNDS).toArray();
        }

        int apply(int index) {
            int x = index;
            do {
                x = permute(x);
            } while (x >= DOCUMENT_COUNT);
            return x;
        }

        private int permute(int x) {
            int left = x >>> HALF_BITS;
            int right = x & HALF_MASK;
            for (long key : keys) {
                int next = left ^ (int) (mix64(key ^ right) & HALF_MASK);
                left = right;
                right = next;
            }
            return (left << HALF_BITS) | right;
        }
    }
}
