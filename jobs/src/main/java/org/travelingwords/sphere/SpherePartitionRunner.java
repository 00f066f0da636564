package org.travelingwords.sphere;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.travelingwords.exec.ExecutorModel;
import org.travelingwords.exec.JobCounters;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.exec.OomBackoff;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.exec.WindowBatcher;
import org.travelingwords.geometry.SiteMetrics;
import org.travelingwords.geometry.SphereAnalysis;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * Runs one partition of windows, sorted by (bucket, group, doc_id, window_idx), through the
 * executor's model batch by batch, and folds the sphere metrics into one {@link PartitionResult}.
 */
public final class SpherePartitionRunner implements FlatMapFunction<Iterator<Row>, PartitionResult> {

    private final ModelSettings modelSettings;
    private final WindowBatcher batcher;
    private final TokenSampler sampler;
    private final boolean fullLens;
    private final JobCounters counters;

    public SpherePartitionRunner(ModelSettings modelSettings, WindowBatcher batcher, TokenSampler sampler,
                                 boolean fullLens, JobCounters counters) {
        this.modelSettings = modelSettings;
        this.batcher = batcher;
        this.sampler = sampler;
        this.fullLens = fullLens;
        this.counters = counters;
    }

    @Override
    public Iterator<PartitionResult> call(Iterator<Row> windows) {
        if (!windows.hasNext()) {
            return List.of(PartitionResult.EMPTY).iterator();
        }
        HookedGpt2 model = ExecutorModel.get(modelSettings, TaskDevice.forCurrentTask(modelSettings.device()), counters);
        SphereAnalysis analysis = new SphereAnalysis(model, fullLens);
        SphereFold fold = new SphereFold(model.config().nLayer(), model.config().vocabSize(), sampler);
        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            List<Row> group = new ArrayList<>();
            long groupKey = Long.MIN_VALUE;
            while (windows.hasNext()) {
                Row row = windows.next();
                long key = ((long) row.getInt(row.fieldIndex(WindowColumns.BUCKET)) << 32)
                        | row.getInt(row.fieldIndex(WindowColumns.GROUP));
                if (key != groupKey && !group.isEmpty()) {
                    runGroup(group, analysis, fold, scope);
                    group.clear();
                }
                groupKey = key;
                group.add(row);
            }
            runGroup(group, analysis, fold, scope);
        }
        return List.of(fold.result()).iterator();
    }

    /** A group in (doc_id, window_idx) order, cut into batches that fit the token budget. */
    private void runGroup(List<Row> group, SphereAnalysis analysis, SphereFold fold, NDManager scope) {
        int bucket = group.get(0).getInt(group.get(0).fieldIndex(WindowColumns.BUCKET));
        int rowsPerBatch = batcher.rowsPerBatch(bucket);
        for (int from = 0; from < group.size(); from += rowsPerBatch) {
            OomBackoff.run(group.subList(from, Math.min(group.size(), from + rowsPerBatch)),
                    chunk -> runBatch(toBatch(chunk), analysis, fold, scope));
        }
    }

    /** One forward; its metrics are folded only once it completed, so a retried batch is never counted twice. */
    private void runBatch(BatchRows rows, SphereAnalysis analysis, SphereFold fold, NDManager scope) {
        List<SiteMetrics> metrics = new ArrayList<>();
        analysis.run(rows.batch(), scope, metrics::add);
        fold.begin(rows);
        metrics.forEach(fold::accept);
        counters.batches().add(1);
        counters.tokens().add(rows.batch().realTokens());
        counters.paddedCells().add((long) rows.batch().batchSize() * rows.batch().seqLen());
    }

    private static BatchRows toBatch(List<Row> chunk) {
        int[][] tokens = new int[chunk.size()][];
        String[] docIds = new String[chunk.size()];
        int[] windowIdx = new int[chunk.size()];
        for (int i = 0; i < tokens.length; i++) {
            Row row = chunk.get(i);
            List<Integer> ids = row.getList(row.fieldIndex(WindowColumns.TOKENS));
            tokens[i] = ids.stream().mapToInt(Integer::intValue).toArray();
            docIds[i] = row.getString(row.fieldIndex(WindowColumns.DOC_ID));
            windowIdx[i] = row.getInt(row.fieldIndex(WindowColumns.WINDOW_IDX));
        }
        return new BatchRows(TokenBatch.of(tokens), docIds, windowIdx);
    }
}
