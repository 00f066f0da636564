package org.travelingwords.exec;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The Spark accumulators tasks report through: model loads and the executor JVMs that did them,
 * batches, real tokens and padded cells.
 */
public record JobCounters(LongAccumulator modelLoads, CollectionAccumulator<String> executors, LongAccumulator batches,
                          LongAccumulator tokens, LongAccumulator paddedCells) implements Serializable {

    public static JobCounters register(SparkContext sc) {
        return new JobCounters(sc.longAccumulator("tw.model_loads"), sc.collectionAccumulator("tw.executors"),
                sc.longAccumulator("tw.batches"), sc.longAccumulator("tw.tokens"), sc.longAccumulator("tw.batch_cells"));
    }

    /** The executor JVMs that loaded the model, sorted. */
    public java.util.List<String> executorList() {
        return executors.value().stream().sorted().toList();
    }

    /** Share of batch cells that were padding. */
    public double paddingFraction() {
        long cells = paddedCells.value();
        return cells == 0 ? 0 : 1.0 - (double) tokens.value() / cells;
    }
}
