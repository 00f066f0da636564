package org.travelingwords.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writing command per out folder at a time (DESIGN §7): the file {@value #FILE} under the folder,
 * created atomically through the Hadoop FileSystem (create without overwrite), names its holder. The
 * holder rewrites it every {@link #HEARTBEAT} with a fresh heartbeat and deletes it when done. A lock
 * whose holder is gone (same host, pid no longer alive) or whose heartbeat is older than
 * {@link #STALE_AFTER} is taken over, with a log line. Readers never take it; Delta's optimistic
 * concurrency remains the last line of defence for what a lock on an eventually consistent store misses.
 */
public final class OutFolderLock implements AutoCloseable {

    public static final String FILE = "_tw_lock";
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(OutFolderLock.class);

    /** Who holds a lock: written into the lock file as Java properties. */
    public record Holder(String host, long pid, String runId, String command, Instant started, Instant heartbeat) {

        /** This JVM, about to run {@code command} as run {@code runId}. */
        public static Holder thisProcess(String runId, String command) {
            Instant now = Instant.now();
            return new Holder(localHost(), ProcessHandle.current().pid(), runId, command, now, now);
        }

        Holder beating(Instant now) {
            return new Holder(host, pid, runId, command, started, now);
        }

        boolean sameProcess(Holder other) {
            return host.equals(other.host) && pid == other.pid && runId.equals(other.runId);
        }

        /** Gone: its process is dead on this very host, or it has not beaten its heart for too long. */
        boolean isStale(Instant now) {
            boolean deadHere = host.equals(localHost()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            return deadHere || heartbeat.plus(STALE_AFTER).isBefore(now);
        }

        @Override
        public String toString() {
            return command + " run " + runId + " (pid " + pid + " on " + host + ", started " + started
                    + ", last heartbeat " + heartbeat + ")";
        }

        String text() throws IOException {
            Properties p = new Properties();
            p.setProperty("host", host);
            p.setProperty("pid", Long.toString(pid));
            p.setProperty("run_id", runId);
            p.setProperty("command", command);
            p.setProperty("started", started.toString());
            p.setProperty("heartbeat", heartbeat.toString());
            StringWriter out = new StringWriter();
            p.store(out, "traveling-words: the writing command that holds this out folder");
            return out.toString();
        }

        static Holder parse(String text) throws IOException {
            Properties p = new Properties();
            p.load(new StringReader(text));
            try {
                return new Holder(p.getProperty("host"), Long.parseLong(p.getProperty("pid")), p.getProperty("run_id"),
                        p.getProperty("command"), Instant.parse(p.getProperty("started")),
                        Instant.parse(p.getProperty("heartbeat")));
            } catch (RuntimeException e) {
                throw new IOException("unreadable lock file: " + e.getMessage(), e);
            }
        }
    }

    private final FileSystem fs;
    private final Path file;
    private volatile Holder holder;
    private final ScheduledExecutorService heart;

    private OutFolderLock(FileSystem fs, Path file, Holder holder) {
        this.fs = fs;
        this.file = file;
        this.holder = holder;
        this.heart = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tw-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heart.scheduleWithFixedDelay(this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock of the out folder {@code out} (created if missing) for {@code holder}, taking over a
     * stale one. Throws {@link OutFolderLockedException} naming the live holder; IOException if the folder
     * cannot be written.
     */
    public static OutFolderLock acquire(Configuration conf, String out, Holder holder)
            throws IOException, OutFolderLockedException {
        Path root = new Path(out);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.mkdirs(root)) {
            throw new IOException("cannot create the out folder " + out);
        }
        Path file = new Path(root, FILE);
        if (tryCreate(fs, file, holder)) {
            return new OutFolderLock(fs, file, holder);
        }
        Holder current = readHolder(fs, file);
        if (current != null ? !current.isStale(Instant.now()) : recentlyWritten(fs, file)) {
            throw new OutFolderLockedException(out, current != null ? current.toString()
                    : "a writer whose lock file is still being written");
        }
        LOG.warn("taking over the lock of {}: its holder is gone ({})", out, current != null ? current : "unreadable lock file");
        fs.delete(file, false);
        if (tryCreate(fs, file, holder)) {
            return new OutFolderLock(fs, file, holder);
        }
        Holder winner = readHolder(fs, file);
        throw new OutFolderLockedException(out, winner != null ? winner.toString() : "another writer that took it over first");
    }

    private static boolean recentlyWritten(FileSystem fs, Path file) throws IOException {
        try {
            return fs.getFileStatus(file).getModificationTime() + STALE_AFTER.toMillis() > System.currentTimeMillis();
        } catch (java.io.FileNotFoundException gone) {
            return false;
        }
    }

    /** The holder named in {@code out}'s lock file, or null when there is none (or it cannot be read). */
    public static Holder holderOf(Configuration conf, String out) throws IOException {
        Path root = new Path(out);
        return readHolder(root.getFileSystem(conf), new Path(root, FILE));
    }

    private static boolean tryCreate(FileSystem fs, Path file, Holder holder) throws IOException {
        try (OutputStream stream = fs.create(file, false)) {
            stream.write(holder.text().getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } catch (IOException e) {
            // Some file systems report an existing file as a plain IOException.
            if (fs.exists(file)) {
                return false;
            }
            throw e;
        }
    }

    private static Holder readHolder(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return Holder.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException goneOrBeingWritten) {
            return null;
        }
    }

    /** Rewrites the lock with a fresh heartbeat, unless someone took it over (then says so, loudly). */
    private void beat() {
        try {
            Holder current = readHolder(fs, file);
            if (current != null && !current.sameProcess(holder)) {
                LOG.error("the lock of {} was taken over by {} while this run held it", file.getParent(), current);
                heart.shutdown();
                return;
            }
            Holder next = holder.beating(Instant.now());
            try (OutputStream stream = fs.create(file, true)) {
                stream.write(next.text().getBytes(StandardCharsets.UTF_8));
            }
            holder = next;
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not refresh the lock of {}: {}", file.getParent(), e.toString());
        }
    }

    /** Stops the heartbeat and deletes the lock, if it is still this holder's. */
    @Override
    public void close() throws IOException {
        heart.shutdownNow();
        try {
            heart.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Holder current = readHolder(fs, file);
        if (current != null && current.sameProcess(holder)) {
            fs.delete(file, false);
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
