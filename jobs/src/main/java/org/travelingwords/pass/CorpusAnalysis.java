package org.travelingwords.pass;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.travelingwords.analysis.BatchAnalysis;
import org.travelingwords.model.HookedGpt2;

/**
 * One analysis plugged into the corpus pass (DESIGN §1): which hooks it reads and how it reduces
 * them (its {@link BatchAnalysis} per batch), how it folds batches into a mergeable partial on the
 * executors, how partials merge, and which tables it writes on the driver. The pass runs the model
 * once per batch for every enabled analysis. Implementations are configured values: they travel to
 * the executors with the pass, so they hold settings, never state.
 */
public interface CorpusAnalysis extends Serializable {

    /** Its name in {@code --analyses} and in {@code runs.config_json}. */
    String name();

    /** Its settings, recorded in {@code runs.config_json} under its name. */
    Object settings();

    /** The executor side: a fold over the batches of one partition, on the model the partition runs. */
    PartitionFold newFold(HookedGpt2 model);

    /** Merges two partials written by {@link PartitionFold#partial()}: partitions' partials, or nights' (tw nightly). */
    byte[] merge(byte[] a, byte[] b);

    /**
     * The driver side: stages the analysis' tables.
     *
     * @param merged every partition's partial merged, or null when no partition had a usable window
     * @param rows   the per-token rows the folds emitted ({@link PartitionFold#rows()}), read from the
     *               cached partition results (no second forward)
     */
    void writeTables(AnalysisOutput output, byte[] merged, JavaRDD<Row> rows) throws Exception;

    /** An analysis' share of one partition: one call of each method per batch, then its results. */
    interface PartitionFold {

        /** This analysis' part of the batch's one forward (its hooks and the listener that reduces them). */
        BatchAnalysis beforeForward(BatchRows rows);

        /** Folds what the forward produced: called only once the forward completed, so a retried batch counts once. */
        void afterForward(BatchRows rows);

        /** The partition's mergeable partial. */
        byte[] partial();

        /** Rows this partition adds to the analysis' per-token table (e.g. token_samples); usually none. */
        default List<Row> rows() {
            return List.of();
        }
    }
}
