package org.travelingwords.pass;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.travelingwords.analysis.BatchAnalysis;
import org.travelingwords.analysis.OnePassForward;
import org.travelingwords.exec.ExecutorJvm;
import org.travelingwords.exec.ExecutorModel;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.exec.OomBackoff;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * Runs one partition of windows, sorted by (bucket, group, doc_id, window_idx), through the
 * executor's model batch by batch: one forward per batch for every analysis, each folding what it
 * read into its partial, gathered in one {@link PartitionResult}.
 */
public final class PartitionPass implements FlatMapFunction<Iterator<Row>, PartitionResult> {

    private final ModelSettings model;
    private final List<CorpusAnalysis> analyses;
    private final WindowBatcher batcher;
    private final LongAccumulator progressTokens;

    /** {@code progressTokens} only feeds the driver's progress log: the run's counts come from the results. */
    public PartitionPass(ModelSettings model, List<CorpusAnalysis> analyses, WindowBatcher batcher,
                         LongAccumulator progressTokens) {
        this.model = model;
        this.analyses = analyses;
        this.batcher = batcher;
        this.progressTokens = progressTokens;
    }

    @Override
    public Iterator<PartitionResult> call(Iterator<Row> windows) {
        if (!windows.hasNext()) {
            return List.of(PartitionResult.EMPTY).iterator();
        }
        ExecutorJvm.haltOnceIfAsked();
        Device device = TaskDevice.forCurrentTask(model.device());
        HookedGpt2 gpt2 = ExecutorModel.get(model, device);
        List<CorpusAnalysis.PartitionFold> folds = analyses.stream().map(a -> a.newFold(gpt2)).toList();
        // Remembers, per length bucket, the batch size that fitted the device after a split, for this task.
        OomBackoff backoff = new OomBackoff();
        BatchCounts[] counts = {BatchCounts.NONE};
        try (NDManager scope = NDManager.newBaseManager(gpt2.device(), "PyTorch")) {
            List<Row> group = new ArrayList<>();
            WindowKey.GroupId groupKey = null;
            while (windows.hasNext()) {
                Row row = windows.next();
                WindowKey.GroupId key = WindowKey.GroupId.of(row);
                if (!key.equals(groupKey) && !group.isEmpty()) {
                    runGroup(group, gpt2, folds, backoff, scope, counts);
                    group.clear();
                }
                groupKey = key;
                group.add(row);
            }
            runGroup(group, gpt2, folds, backoff, scope, counts);
        }
        Map<String, byte[]> partials = new HashMap<>();
        Map<String, List<Row>> rows = new HashMap<>();
        for (int i = 0; i < folds.size(); i++) {
            partials.put(analyses.get(i).name(), folds.get(i).partial());
            rows.put(analyses.get(i).name(), folds.get(i).rows());
        }
        return List.of(new PartitionResult(partials, rows, ExecutorModel.loads(model, device), counts[0])).iterator();
    }

    /** A group in (doc_id, window_idx) order, cut into batches that fit the token budget. */
    private void runGroup(List<Row> group, HookedGpt2 gpt2, List<CorpusAnalysis.PartitionFold> folds,
                          OomBackoff backoff, NDManager scope, BatchCounts[] counts) {
        int bucket = group.get(0).getInt(group.get(0).fieldIndex(WindowColumns.BUCKET));
        int rowsPerBatch = batcher.rowsPerBatch(bucket);
        for (int from = 0; from < group.size(); from += rowsPerBatch) {
            backoff.run(bucket, group.subList(from, Math.min(group.size(), from + rowsPerBatch)), chunk -> {
                BatchRows rows = BatchRows.of(chunk);
                List<BatchAnalysis> shares = folds.stream().map(f -> f.beforeForward(rows)).toList();
                OnePassForward.run(gpt2, rows.batch(), scope, shares);
                folds.forEach(f -> f.afterForward(rows));
                TokenBatch batch = rows.batch();
                counts[0] = counts[0].plusBatch(batch.realTokens(), batch.batchSize(), batch.seqLen());
                progressTokens.add(batch.realTokens());
            });
        }
    }
}
