package ar.loteria.central;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real file system that fills up: a small tmpfs mounted for one test (root only; the test is skipped without it). */
public final class SmallDisk implements AutoCloseable {
    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts {@code kib} KiB of tmpfs at {@code mountPoint}. */
    public static SmallDisk mount(Path mountPoint, int kib) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        int code = run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", mountPoint.toString());
        assumeTrue(code == 0, "cannot mount a tmpfs here (needs root): a full disk is not tested");
        return new SmallDisk(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Gives the file system room again, keeping what it holds. */
    public void grow(int kib) throws IOException, InterruptedException {
        if (run("mount", "-o", "remount,size=" + kib + "k", mountPoint.toString()) != 0) {
            throw new IOException("could not grow " + mountPoint);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
