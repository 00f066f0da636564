package org.travelingwords.exec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch and, when the device runs out of memory, halves it and runs the halves instead,
 * down to single rows, logging each split; any other failure, or one row that still does not
 * fit, propagates. The caller must fold a batch's results only after its run succeeded.
 *
 * <p>An instance also remembers, per batch shape (e.g. the length bucket), the most rows that
 * fitted after a split, and cuts later batches of that shape to it up front: the batch size adapts
 * to the device's memory once instead of failing again on every batch.
 */
public final class OomBackoff {

    private static final Logger LOG = LoggerFactory.getLogger(OomBackoff.class);

    private final Map<Object, Integer> rowLimits = new HashMap<>();

    /** Halves and retries without remembering anything. */
    public static <T> void run(List<T> rows, Consumer<List<T>> batchRunner) {
        new OomBackoff().run("any", rows, batchRunner);
    }

    /** Runs {@code rows} as batches of at most the rows that fitted before for {@code shape}. */
    public <T> void run(Object shape, List<T> rows, Consumer<List<T>> batchRunner) {
        int from = 0;
        while (from < rows.size()) {
            int to = (int) Math.min(rows.size(), (long) from + rowLimit(shape));
            runOrSplit(shape, rows.subList(from, to), batchRunner);
            from = to;
        }
    }

    /** The most rows a batch of {@code shape} may have now (unbounded until a split happened). */
    public int rowLimit(Object shape) {
        return rowLimits.getOrDefault(shape, Integer.MAX_VALUE);
    }

    private <T> void runOrSplit(Object shape, List<T> rows, Consumer<List<T>> batchRunner) {
        try {
            batchRunner.accept(rows);
        } catch (RuntimeException e) {
            if (!isOutOfMemory(e) || rows.size() == 1) {
                throw e;
            }
            int limit = Math.min(rowLimit(shape), (rows.size() + 1) / 2);
            rowLimits.put(shape, limit);
            LOG.warn("device out of memory on a batch of {} rows (shape {}): retrying it in halves; batches of this "
                    + "shape now at most {} rows", rows.size(), shape, limit);
            run(shape, rows, batchRunner);
        }
    }

    /**
     * libtorch reports "CUDA out of memory" (DJL wraps it in an EngineException), the allocator may say
     * "out of memory", and cuBLAS, failing to get its workspace, CUBLAS_STATUS_ALLOC_FAILED.
     */
    static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.toLowerCase(java.util.Locale.ROOT).contains("out of memory")
                    || message.contains("CUBLAS_STATUS_ALLOC_FAILED"))) {
                return true;
            }
        }
        return false;
    }
}
