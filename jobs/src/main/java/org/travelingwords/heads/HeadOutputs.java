package org.travelingwords.heads;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.catalog.StagedRun;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.exec.JobCounters;
import org.travelingwords.exec.RunConfig;

/**
 * The heads analysis after the pass (DESIGN §5): from the merged aggregates to the four staged
 * tables, with the mean view scored and the cluster labels ranked on an executor's model, and the
 * heads clustered by MLlib.
 */
public final class HeadOutputs {

    private final SparkSession spark;
    private final RunConfig config;
    private final JobCounters counters;
    private final HeadTables tables;

    public HeadOutputs(SparkSession spark, RunConfig config, JobCounters counters, String runId, String modelId) {
        this.spark = spark;
        this.config = config;
        this.counters = counters;
        this.tables = new HeadTables(spark, runId, modelId);
    }

    /** Stages head_stats, qk_pairs, head_subjects and head_clusters; empty tables when no window was usable (null). */
    public void stage(StagedRun staged, HeadAggregates heads) {
        if (heads == null) {
            for (String table : List.of(TableSchemas.HEAD_STATS, TableSchemas.QK_PAIRS, TableSchemas.HEAD_SUBJECTS,
                    TableSchemas.HEAD_CLUSTERS)) {
                staged.stage(table, tables.empty(table));
            }
            return;
        }
        HeadsOptions options = config.heads();
        staged.stage(TableSchemas.HEAD_STATS, tables.headStats(heads));
        staged.stage(TableSchemas.QK_PAIRS, tables.qkPairs(heads, options.qkTop()));
        MeanViewScoring scoring = new MeanViewScoring(spark, config.modelSettings(), counters);
        MeanViewScoring.ScoredHeads meanView = scoring.score(heads, options.subjectTop());
        staged.stage(TableSchemas.HEAD_SUBJECTS, tables.headSubjects(heads, meanView, options.subjectTop()));
        staged.stage(TableSchemas.HEAD_CLUSTERS,
                tables.headClusters(new HeadClustering(spark, options, scoring).cluster(meanView)));
    }
}
