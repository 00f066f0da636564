package org.travelingwords.pass;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.travelingwords.exec.ModelLoads;

/**
 * What one partition's pass sends back: each analysis' serialized, mergeable partial and its
 * per-token rows, by analysis name, with the JVM whose model ran it and the batches it ran. An
 * analysis missing from {@code partials} (a partition without windows) is the identity of the
 * merge, so {@link #EMPTY} is the identity of {@link #merge}.
 */
public record PartitionResult(Map<String, byte[]> partials, Map<String, List<Row>> rows, ModelLoads loads,
                              BatchCounts counts) implements Serializable {

    public static final PartitionResult EMPTY = new PartitionResult(Map.of(), Map.of(), ModelLoads.NONE, BatchCounts.NONE);

    /**
     * Merges the partials analysis by analysis, and the loads and counts; rows are not carried through the
     * reduction (they are read apart).
     */
    public static PartitionResult merge(PartitionResult a, PartitionResult b, List<CorpusAnalysis> analyses) {
        Map<String, byte[]> merged = new HashMap<>();
        for (CorpusAnalysis analysis : analyses) {
            byte[] x = a.partials.get(analysis.name());
            byte[] y = b.partials.get(analysis.name());
            byte[] part = x == null ? y : y == null ? x : analysis.merge(x, y);
            if (part != null) {
                merged.put(analysis.name(), part);
            }
        }
        return new PartitionResult(merged, Map.of(), a.loads.plus(b.loads), a.counts.plus(b.counts));
    }

    public PartitionResult withoutRows() {
        return new PartitionResult(partials, Map.of(), loads, counts);
    }

    /** {@code analysis}' rows of this partition. */
    public List<Row> rowsOf(String analysis) {
        return rows.getOrDefault(analysis, List.of());
    }
}
