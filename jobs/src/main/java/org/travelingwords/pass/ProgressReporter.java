package org.travelingwords.pass;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Logs the run's progress on the driver every few seconds: tokens done of the total, tokens/s and
 * ETA. Finished tasks count through the accumulator; running tasks through the values their
 * executors' heartbeats carry, so a long task shows progress before it ends.
 */
public final class ProgressReporter extends SparkListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final SparkContext sc;
    private final LongAccumulator tokens;
    private final long documents;
    private final long totalTokens;
    private final Map<Long, Long> runningTasks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final long start = System.nanoTime();

    public ProgressReporter(SparkContext sc, LongAccumulator tokens, long documents, long totalTokens, int everySeconds) {
        this.sc = sc;
        this.tokens = tokens;
        this.documents = documents;
        this.totalTokens = totalTokens;
        sc.addSparkListener(this);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tw-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::log, everySeconds, everySeconds, TimeUnit.SECONDS);
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                : CollectionConverters.asJava(update.accumUpdates())) {
            for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
                if (info.id() == tokens.id() && info.update().isDefined()) {
                    runningTasks.put((Long) task._1(), ((Number) info.update().get()).longValue());
                }
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        runningTasks.remove(end.taskInfo().taskId());
    }

    /** Tokens through the model so far, finished and running tasks together. */
    public long tokensDone() {
        long running = runningTasks.values().stream().mapToLong(Long::longValue).sum();
        return Math.min(totalTokens, tokens.value() + running);
    }

    private void log() {
        long done = tokensDone();
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        String eta = rate > 0 ? formatDuration((totalTokens - done) / rate) : "?";
        LOG.info(String.format(Locale.ROOT, "progress: %d documents, %d / %d tokens (%.1f%%), %.0f tokens/s, ETA %s",
                documents, done, totalTokens, totalTokens == 0 ? 100.0 : 100.0 * done / totalTokens, rate, eta));
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sc.removeSparkListener(this);
    }
}
