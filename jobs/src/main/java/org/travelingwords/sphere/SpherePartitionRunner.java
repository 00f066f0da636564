package org.travelingwords.sphere;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.travelingwords.analysis.BatchAnalysis;
import org.travelingwords.analysis.OnePassForward;
import org.travelingwords.attention.HeadAnalysis;
import org.travelingwords.attention.HeadLayer;
import org.travelingwords.exec.ExecutorModel;
import org.travelingwords.exec.JobCounters;
import org.travelingwords.exec.OomBackoff;
import org.travelingwords.exec.RunConfig;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.exec.WindowBatcher;
import org.travelingwords.geometry.SiteMetrics;
import org.travelingwords.geometry.SphereAnalysis;
import org.travelingwords.heads.HeadFold;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * Runs one partition of windows, sorted by (bucket, group, doc_id, window_idx), through the
 * executor's model batch by batch, one forward per batch for every enabled analysis (sphere,
 * heads), and folds what each produced into one {@link PartitionResult}.
 */
public final class SpherePartitionRunner implements FlatMapFunction<Iterator<Row>, PartitionResult> {

    private final RunConfig config;
    private final WindowBatcher batcher;
    private final JobCounters counters;

    public SpherePartitionRunner(RunConfig config, WindowBatcher batcher, JobCounters counters) {
        this.config = config;
        this.batcher = batcher;
        this.counters = counters;
    }

    @Override
    public Iterator<PartitionResult> call(Iterator<Row> windows) {
        if (!windows.hasNext()) {
            return List.of(PartitionResult.EMPTY).iterator();
        }
        HookedGpt2 model = ExecutorModel.get(config.modelSettings(), TaskDevice.forCurrentTask(config.device()), counters);
        Pass pass = new Pass(model);
        // Remembers, per length bucket, the batch size that fitted the device after a split, for this task.
        OomBackoff backoff = new OomBackoff();
        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            List<Row> group = new ArrayList<>();
            long groupKey = Long.MIN_VALUE;
            while (windows.hasNext()) {
                Row row = windows.next();
                long key = ((long) row.getInt(row.fieldIndex(WindowColumns.BUCKET)) << 32)
                        | row.getInt(row.fieldIndex(WindowColumns.GROUP));
                if (key != groupKey && !group.isEmpty()) {
                    runGroup(group, pass, backoff, scope);
                    group.clear();
                }
                groupKey = key;
                group.add(row);
            }
            runGroup(group, pass, backoff, scope);
        }
        return List.of(pass.result()).iterator();
    }

    /** A group in (doc_id, window_idx) order, cut into batches that fit the token budget. */
    private void runGroup(List<Row> group, Pass pass, OomBackoff backoff, NDManager scope) {
        int bucket = group.get(0).getInt(group.get(0).fieldIndex(WindowColumns.BUCKET));
        int rowsPerBatch = batcher.rowsPerBatch(bucket);
        for (int from = 0; from < group.size(); from += rowsPerBatch) {
            backoff.run(bucket, group.subList(from, Math.min(group.size(), from + rowsPerBatch)), chunk -> {
                BatchRows rows = toBatch(chunk);
                pass.runBatch(rows, scope);
                counters.batches().add(1);
                counters.tokens().add(rows.batch().realTokens());
                counters.paddedCells().add((long) rows.batch().batchSize() * rows.batch().seqLen());
            });
        }
    }

    /** The enabled analyses of one partition and their folds; an analysis that does not run is null. */
    private final class Pass {
        private final HookedGpt2 model;
        private final SphereAnalysis sphere;
        private final SphereFold sphereFold;
        private final HeadAnalysis heads;
        private final HeadFold headFold;

        Pass(HookedGpt2 model) {
            this.model = model;
            Gpt2Config c = model.config();
            boolean runsSphere = config.runs(RunConfig.SPHERE);
            boolean runsHeads = config.runs(RunConfig.HEADS);
            sphere = runsSphere ? new SphereAnalysis(model, config.fullLogitLens()) : null;
            sphereFold = runsSphere ? new SphereFold(c.nLayer(), c.vocabSize(), new TokenSampler(config.sampleRate())) : null;
            heads = runsHeads ? new HeadAnalysis(model) : null;
            headFold = runsHeads ? new HeadFold(c, config.heads()) : null;
        }

        /** One forward for every analysis; folded only once it completed, so a retried batch is never counted twice. */
        void runBatch(BatchRows rows, NDManager scope) {
            List<BatchAnalysis> analyses = new ArrayList<>();
            List<SiteMetrics> siteMetrics = new ArrayList<>();
            List<HeadLayer> headLayers = new ArrayList<>();
            if (sphere != null) {
                analyses.add(sphere.into(siteMetrics::add));
            }
            if (heads != null) {
                analyses.add(heads.into(headFold.promotedCells(rows), headLayers::add));
            }
            OnePassForward.run(model, rows.batch(), scope, analyses);
            if (sphere != null) {
                sphereFold.begin(rows);
                siteMetrics.forEach(sphereFold::accept);
            }
            if (heads != null) {
                headLayers.forEach(headFold::accept);
            }
        }

        PartitionResult result() {
            return new PartitionResult(
                    sphereFold == null ? null : sphereFold.summariesBytes(),
                    sphereFold == null ? null : sphereFold.travelBytes(),
                    headFold == null ? null : headFold.toBytes(),
                    sphereFold == null ? List.of() : sphereFold.samples());
        }
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
