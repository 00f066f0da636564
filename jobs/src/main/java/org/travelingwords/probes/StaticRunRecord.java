package org.travelingwords.probes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.exec.JobCounters;

/**
 * The {@code runs} ledger row of a run without a corpus ({@code tw probe}, {@code tw trajectory}): no
 * corpus paths, windows or padding; {@code documents_*} count the phrases a trajectory run traced
 * (0 for probes), {@code tokens} their tokens; the configuration goes to {@code config_json}.
 */
public final class StaticRunRecord {

    private StaticRunRecord() {}

    public static RunRecord of(SparkSession spark, RunStamp stamp, String modelId, long documents, long tokens,
                               JobCounters counters, String configJson, String projectVersion, Instant started,
                               String error) {
        Instant finished = Instant.now();
        double seconds = Duration.between(started, finished).toNanos() / 1e9;
        return new RunRecord(stamp.runId(), stamp.runDate(), modelId, List.of(), documents, documents, 0, 0, 0, tokens,
                0, seconds, seconds > 0 ? tokens / seconds : 0, counters.modelLoads().value(), counters.executorList(),
                error == null ? RunRecord.SUCCEEDED : RunRecord.FAILED, error, configJson,
                spark.sparkContext().applicationId(), projectVersion, started, finished);
    }
}
