package org.travelingwords.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One row of the {@code runs} ledger (DESIGN §7), successful or failed.
 *
 * @param status {@link #SUCCEEDED} or {@link #FAILED}
 * @param error  why a failed run failed; null for a successful one
 */
public record RunRecord(
        String runId,
        String runDate,
        String modelId,
        List<String> corpusPaths,
        long documentsRead,
        long documentsProcessed,
        long documentsRejected,
        long windows,
        long windowsSkipped,
        long tokens,
        double paddingFraction,
        double durationS,
        double tokensPerS,
        long modelLoads,
        List<String> executors,
        String status,
        String error,
        String configJson,
        String sparkAppId,
        String projectVersion,
        Instant startedAt,
        Instant finishedAt) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public RunRecord {
        TableLayout.requireRunId(runId);
        TableLayout.requireRunDate(runDate);
        corpusPaths = List.copyOf(corpusPaths);
        executors = List.copyOf(executors);
        if (!SUCCEEDED.equals(status) && !FAILED.equals(status)) {
            throw new IllegalArgumentException("run status '" + status + "' must be " + SUCCEEDED + " or " + FAILED);
        }
        if (FAILED.equals(status) && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("a failed run must say why (error is empty)");
        }
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    /** The same run marked failed with the given error, finished at {@code finishedAt}. */
    public RunRecord failed(String why, Instant finishedAt) {
        return new RunRecord(runId, runDate, modelId, corpusPaths, documentsRead, documentsProcessed,
                documentsRejected, windows, windowsSkipped, tokens, paddingFraction, durationS, tokensPerS,
                modelLoads, executors, FAILED, why, configJson, sparkAppId, projectVersion, startedAt, finishedAt);
    }

    /** The row in {@link TableSchemas#dataSchema(String) dataSchema("runs")} order (run_date is the partition). */
    Row toRow() {
        return RowFactory.create(
                runId,
                modelId,
                corpusPaths.toArray(String[]::new),
                documentsRead,
                documentsProcessed,
                documentsRejected,
                windows,
                windowsSkipped,
                tokens,
                paddingFraction,
                durationS,
                tokensPerS,
                modelLoads,
                executors.toArray(String[]::new),
                status,
                error,
                configJson,
                sparkAppId,
                projectVersion,
                Timestamp.from(startedAt),
                Timestamp.from(finishedAt));
    }
}
