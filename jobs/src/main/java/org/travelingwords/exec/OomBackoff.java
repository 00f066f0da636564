package org.travelingwords.exec;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch and, when the device runs out of memory, halves it and runs the halves instead,
 * down to single rows, logging each split; any other failure, or one row that still does not
 * fit, propagates. The caller must fold a batch's results only after its run succeeded.
 */
public final class OomBackoff {

    private static final Logger LOG = LoggerFactory.getLogger(OomBackoff.class);

    private OomBackoff() {}

    public static <T> void run(List<T> rows, Consumer<List<T>> batchRunner) {
        try {
            batchRunner.accept(rows);
        } catch (RuntimeException e) {
            if (!isOutOfMemory(e) || rows.size() == 1) {
                throw e;
            }
            int half = rows.size() / 2;
            LOG.warn("device out of memory on a batch of {} rows; retrying as {} + {} rows", rows.size(), half,
                    rows.size() - half);
            run(rows.subList(0, half), batchRunner);
            run(rows.subList(half, rows.size()), batchRunner);
        }
    }

    /** libtorch reports "CUDA out of memory" (DJL wraps it in an EngineException); the allocator may say "out of memory". */
    static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("out of memory")) {
                return true;
            }
        }
        return false;
    }
}
