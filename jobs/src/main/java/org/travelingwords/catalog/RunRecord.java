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
        String mode,
        String lineage,
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
                modelLoads, executors, FAILED, why, configJson, mode, lineage, sparkAppId, projectVersion, startedAt, finishedAt);
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
                mode,
                lineage,
                sparkAppId,
                projectVersion,
                Timestamp.from(startedAt),
                Timestamp.from(finishedAt));
    }

    /** Names every field of a ledger row; what is not set is empty or zero (a run without a corpus has no windows). */
    public static Builder builder(RunStamp stamp) {
        return new Builder(stamp);
    }

    /** A {@link RunRecord} by named parts, so that no caller lines up 22 positional arguments. */
    public static final class Builder {
        private final RunStamp stamp;
        private String modelId;
        private List<String> corpusPaths = List.of();
        private long documentsProcessed;
        private long documentsRejected;
        private long windows;
        private long windowsSkipped;
        private long tokens;
        private double paddingFraction;
        private long modelLoads;
        private List<String> executors = List.of();
        private String configJson = "{}";
        private String mode;
        private String lineage;
        private String sparkAppId;
        private String projectVersion;

        private Builder(RunStamp stamp) {
            this.stamp = stamp;
        }

        public Builder model(String id) {
            this.modelId = id;
            return this;
        }

        /** The model id recorded so far (null before the work has described the model). */
        public String modelId() {
            return modelId;
        }

        /** The input, and its documents as read: processed ones and rejected ones. */
        public Builder corpus(List<String> paths, long processed, long rejected) {
            this.corpusPaths = paths;
            this.documentsProcessed = processed;
            this.documentsRejected = rejected;
            return this;
        }

        public Builder windows(long usable, long skipped, double padding) {
            this.windows = usable;
            this.windowsSkipped = skipped;
            this.paddingFraction = padding;
            return this;
        }

        public Builder tokens(long count) {
            this.tokens = count;
            return this;
        }

        /** The model loads on executors and the executor JVMs (id@host:pid) that did them. */
        public Builder loads(long count, List<String> byExecutors) {
            this.modelLoads = count;
            this.executors = byExecutors;
            return this;
        }

        public Builder config(String json) {
            this.configJson = json;
            return this;
        }

        /** A nightly run's lineage and how it read its input ({@code incremental: …} or {@code full: …}). */
        public Builder night(String lineageId, String howRead) {
            this.lineage = lineageId;
            this.mode = howRead;
            return this;
        }

        public Builder provenance(String appId, String version) {
            this.sparkAppId = appId;
            this.projectVersion = version;
            return this;
        }

        public RunRecord succeeded(Instant startedAt, Instant finishedAt) {
            return build(SUCCEEDED, null, startedAt, finishedAt);
        }

        public RunRecord failed(String error, Instant startedAt, Instant finishedAt) {
            return build(FAILED, error, startedAt, finishedAt);
        }

        private RunRecord build(String status, String error, Instant startedAt, Instant finishedAt) {
            double seconds = java.time.Duration.between(startedAt, finishedAt).toNanos() / 1e9;
            return new RunRecord(stamp.runId(), stamp.runDate(), modelId, corpusPaths,
                    documentsProcessed + documentsRejected, documentsProcessed, documentsRejected, windows,
                    windowsSkipped, tokens, paddingFraction, seconds, seconds > 0 ? tokens / seconds : 0, modelLoads,
                    executors, status, error, configJson, mode, lineage, sparkAppId, projectVersion, startedAt, finishedAt);
        }
    }
}
