package org.travelingwords.heads;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.attention.HeadAnalysis;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.pass.AnalysisOutput;
import org.travelingwords.pass.CorpusAnalysis;

/**
 * The attention heads (DESIGN §5) in the corpus pass: per-query metrics, query–key pairs and each
 * head's writes, reduced on the device ({@link HeadAnalysis}) into {@link HeadAggregates}; after the
 * pass, the mean view is scored and the cluster labels ranked on an executor's model, and the heads
 * are clustered, into head_stats, qk_pairs, head_subjects and head_clusters.
 */
public final class HeadsCorpusAnalysis implements CorpusAnalysis {

    public static final String NAME = "heads";
    private static final List<String> TABLES = List.of(TableSchemas.HEAD_STATS, TableSchemas.QK_PAIRS,
            TableSchemas.HEAD_SUBJECTS, TableSchemas.HEAD_CLUSTERS);

    private final HeadsOptions options;

    public HeadsCorpusAnalysis(HeadsOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HeadsOptions settings() {
        return options;
    }

    @Override
    public PartitionFold newFold(HookedGpt2 model) {
        return new HeadFold(new HeadAnalysis(model), model.config(), options);
    }

    @Override
    public byte[] merge(byte[] a, byte[] b) {
        HeadAggregates merged = HeadAggregates.fromBytes(a);
        merged.merge(HeadAggregates.fromBytes(b));
        return merged.toBytes();
    }

    /** The four head tables; empty ones when no window was usable. */
    @Override
    public void writeTables(AnalysisOutput output, byte[] merged, JavaRDD<Row> rows) {
        HeadTables tables = new HeadTables(output.spark(), output.runId(), output.modelId());
        RunLifecycle.RunTables staged = output.tables();
        if (merged == null) {
            TABLES.forEach(table -> staged.stage(table, tables.empty(table)));
            return;
        }
        HeadAggregates heads = HeadAggregates.fromBytes(merged);
        staged.stage(TableSchemas.HEAD_STATS, tables.headStats(heads));
        staged.stage(TableSchemas.QK_PAIRS, tables.qkPairs(heads, options.qkTop()));
        MeanViewScoring scoring = new MeanViewScoring(output.spark(), output.model(), staged::served);
        MeanViewScoring.ScoredHeads meanView = scoring.score(heads, options.subjectTop());
        staged.stage(TableSchemas.HEAD_SUBJECTS, tables.headSubjects(heads, meanView, options.subjectTop()));
        staged.stage(TableSchemas.HEAD_CLUSTERS,
                tables.headClusters(new HeadClustering(options, scoring).cluster(meanView)));
    }
}
