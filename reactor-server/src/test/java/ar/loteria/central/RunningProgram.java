package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the programs as the course runs it: a real JVM process in its own working directory,
 * its stdout gathered line by line as it comes, its exit code.
 */
public final class RunningProgram {
    /** The course's log format. */
    public static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (DEBUG|INFO|WARN|ERROR) +(.*)");
    /** The exact shape of a message that holds "action:". */
    public static final Pattern ACTION = Pattern.compile("action: [a-z_]+ \\| result: (success|fail|in_progress)( \\| [a-z_]+: [^|]*)*");

    private static final Pattern ACTION_NAME = Pattern.compile("action: ([a-z_]+)");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private RunningProgram(Process process, boolean pumped) {
        this.process = process;
        reader = !pumped ? null : new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        if (reader != null) {
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** A central's config.ini in {@code directory}: any free port on loopback, INFO. */
    public static void writeCentralIni(Path directory) throws IOException {
        Files.write(directory.resolve("config.ini"), List.of("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1",
                "SERVER_LISTEN_BACKLOG = 16", "LOGGING_LEVEL = INFO"), StandardCharsets.UTF_8);
    }

    /** Of a central: where it listens, as its first accept_connections line says. */
    public InetSocketAddress lotteryAddress() throws InterruptedException {
        Matcher port = Pattern.compile("address: [0-9.]+:(\\d+)").matcher(await(l -> l.contains("accept_connections | result: in_progress")));
        assertTrue(port.find());
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1)));
    }

    /** Runs {@code main} on this JVM's class path, in {@code directory}, with {@code env} added, the JVM given {@code jvmOptions}. */
    public static RunningProgram start(Class<?> main, Path directory, Map<String, String> env, String... jvmOptions) throws IOException {
        return new RunningProgram(builder(main, directory, env, jvmOptions).start(), true);
    }

    /** Runs {@code main} with {@code arguments} on this JVM's class path, in {@code directory}: a command-line tool. */
    public static RunningProgram startWithArguments(Class<?> main, Path directory, List<String> arguments) throws IOException {
        ProcessBuilder builder = builder(main, directory, Map.of(), new String[0]);
        builder.command().addAll(arguments);
        return new RunningProgram(builder.start(), true);
    }

    /**
     * Like {@link #start}, but its stdout is read only when the test asks ({@link #readableNow}),
     * so the test can tell what the program had written at a given moment. Nobody drains the pipe
     * meanwhile: a program that writes more than the pipe holds (64 KiB) between two reads blocks.
     */
    public static RunningProgram startUnread(Class<?> main, Path directory, Map<String, String> env) throws IOException {
        return new RunningProgram(builder(main, directory, env, new String[0]).start(), false);
    }

    private static ProcessBuilder builder(Class<?> main, Path directory, Map<String, String> env, String[] jvmOptions) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return builder;
    }

    /**
     * Of a program started with {@link #startUnread}: every line it has written to its stdout by
     * now, without waiting for more. A line is there only if the program wrote and flushed it.
     */
    public List<String> readableNow() throws IOException {
        java.io.InputStream in = process.getInputStream();
        byte[] bytes = new byte[Math.max(0, in.available())];
        int n = in.readNBytes(bytes, 0, bytes.length);
        synchronized (lines) {
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    lines.add(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                } else {
                    pending.write(bytes[i]);
                }
            }
            return new ArrayList<>(lines);
        }
    }

    /** The start of a line not yet ended, read by {@link #readableNow}. */
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    /** The first line {@code wanted} accepts, waiting up to 20 s for it. */
    public String await(Predicate<String> wanted) throws InterruptedException {
        if (reader == null) {
            return awaitUnread(wanted);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError("no such line; got:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    /** {@link #await} for a program whose output the test reads itself: polls what is readable. */
    private String awaitUnread(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                for (String line : readableNow()) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                throw new AssertionError("no such line; got:\n" + String.join("\n", output()));
            }
            Thread.sleep(10);
        }
    }

    /** Kills it outright, as a crash would: SIGKILL, nothing flushed, nothing closed. */
    public void sigkill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Its resident memory now, from /proc (Linux), in KiB; -1 when unknown. */
    public long rssKiB() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return -1;
    }

    /** Sends SIGTERM. (Process.destroy() would also close our end of its stdout.) */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits for the exit and the last line of output; the exit code. */
    public int exit() throws InterruptedException {
        return exit(java.time.Duration.ofSeconds(10));
    }

    /** Waits, at most {@code within}, for the exit and the last line of output; the exit code. */
    public int exit(java.time.Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + within + ":\n" + String.join("\n", output()));
        }
        if (reader != null) {
            reader.join(5_000);
        } else {
            try {
                readableNow();
            } catch (IOException ignored) {
                // the output ends with the process
            }
        }
        return process.exitValue();
    }

    public List<String> output() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** The messages of the lines that hold "action:", in order. */
    public List<String> actions() {
        return output().stream().map(LINE::matcher).filter(m -> m.matches() && m.group(2).contains("action:"))
                .map(m -> m.group(2)).toList();
    }

    /** Every line in the course's format, every action line in its exact shape, and no exit action. */
    public void assertFollowsTheLogContract() {
        for (String line : output()) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), "log format: " + line);
            if (line.contains("action:")) {
                assertTrue(ACTION.matcher(m.group(2)).matches(), "action line: " + line);
            }
            Matcher action = ACTION_NAME.matcher(line);
            assertFalse(action.find() && action.group(1).equals("exit"), "compose prints the exit, the program never does: " + line);
        }
    }
}
