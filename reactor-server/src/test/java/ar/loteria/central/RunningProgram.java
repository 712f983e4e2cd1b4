package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    private RunningProgram(Process process) {
        this.process = process;
        reader = new Thread(() -> {
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
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs {@code main} on this JVM's class path, in {@code directory}, with {@code env} added. */
    public static RunningProgram start(Class<?> main, Path directory, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName())
                .directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new RunningProgram(builder.start());
    }

    /** The first line {@code wanted} accepts, waiting up to 20 s for it. */
    public String await(Predicate<String> wanted) throws InterruptedException {
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

    /** Sends SIGTERM. (Process.destroy() would also close our end of its stdout.) */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits for the exit and the last line of output; the exit code. */
    public int exit() throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 10 s:\n" + String.join("\n", output()));
        }
        reader.join(5_000);
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
