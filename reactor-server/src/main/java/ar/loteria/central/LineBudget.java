package ar.loteria.central;

/**
 * How many lines of one kind may be written: a burst, then a steady rate. A peer can make the
 * central log as fast as it sends (echo lines, refused connections, garbage), and every line is
 * written on the thread that reports it; the budget keeps that cost and the log's size bounded.
 * The lines left out are counted, and the count is told with the next line let through.
 */
final class LineBudget {
    private final String name;
    private final int burst;
    private final double perNano;
    private double tokens;
    private long last;
    private long skipped;

    /** {@code name}: what the lines are, for the line that counts those left out. */
    LineBudget(String name, int burst, int perSecond, long now) {
        this.name = name;
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.tokens = burst;
        this.last = now;
    }

    /**
     * Whether one more line may be written at {@code now}: -1 if not (it is counted), else how
     * many lines were left out since the last one let through.
     */
    synchronized long take(long now) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            skipped++;
            return -1;
        }
        tokens--;
        long told = skipped;
        skipped = 0;
        return told;
    }

    String name() {
        return name;
    }

    /** The lines left out since the last one let through, now told: at exit. */
    synchronized long untold() {
        long told = skipped;
        skipped = 0;
        return told;
    }
}
