package org.travelingwords.model;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn with {@code \r}: bytes done / total, percent and MB/s, at most
 * a few times a second so a fast download does not flood a slow terminal.
 */
public final class DownloadProgressBar implements HubDownloader.ProgressListener {

    private static final long REDRAW_INTERVAL_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 30;
    private static final double MB = 1024.0 * 1024.0;

    private final PrintStream out;
    private final LongSupplier nanoClock;
    private String currentFile;
    private long startNanos;
    private long startBytes;
    private long lastDrawNanos;

    public DownloadProgressBar(PrintStream out, LongSupplier nanoClock) {
        this.out = out;
        this.nanoClock = nanoClock;
    }

    public static DownloadProgressBar onStderr() {
        return new DownloadProgressBar(System.err, System::nanoTime);
    }

    @Override
    public synchronized void update(String file, long done, long total) {
        long now = nanoClock.getAsLong();
        if (!file.equals(currentFile)) {
            begin(file, done, now);
            draw(done, total, now);
        } else if (now - lastDrawNanos >= REDRAW_INTERVAL_NANOS) {
            lastDrawNanos = now;
            draw(done, total, now);
        }
    }

    @Override
    public synchronized void finished(String file, long size) {
        long now = nanoClock.getAsLong();
        if (!file.equals(currentFile)) {
            begin(file, size, now);
        }
        draw(size, size, now);
        out.println();
        out.flush();
        currentFile = null;
    }

    /** A resumed part arrived in an earlier run: the rate counts only this run's bytes. */
    private void begin(String file, long done, long now) {
        currentFile = file;
        startNanos = now;
        startBytes = done;
        lastDrawNanos = now;
    }

    private void draw(long done, long total, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (done - startBytes) / MB / seconds : 0;
        String line = total > 0
                ? String.format(Locale.ROOT, "\r%s [%s] %.1f/%.1f MB %3d%% %.1f MB/s  ",
                        currentFile, bar(done, total), done / MB, total / MB, percent(done, total), rate)
                : String.format(Locale.ROOT, "\r%s %.1f MB %.1f MB/s  ", currentFile, done / MB, rate);
        out.print(line);
        out.flush();
    }

    private static int percent(long done, long total) {
        return (int) Math.min(100, done * 100 / total);
    }

    private static String bar(long done, long total) {
        int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        return "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
    }
}
