package org.travelingwords.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.travelingwords.geometry.SphereMetric;

/**
 * Every output table's schema, defined here once (DESIGN §7).
 *
 * <p>A schema is what {@code spark.read().format("delta").load("<out>/<table>")} gives back: the data columns in
 * order, then the partition column {@code run_date} (string, yyyy-MM-dd) last — also for {@code runs}.
 * Every column is nullable because Parquet written by Spark is; the comments say which columns are
 * actually null and when. Analyses produce rows of {@link #producerSchema(String)}; the run adds the
 * {@code scope} of aggregates and hands the store rows of {@link #dataSchema(String)}; the store adds
 * the run's date as the partition.
 */
public final class TableSchemas {

    public static final String RUN_DATE = "run_date";
    /** Aggregates' scope: {@link #SCOPE_RUN} (this run's input) or {@link #SCOPE_CUMULATIVE} (a nightly lineage's input so far). */
    public static final String SCOPE = "scope";
    public static final String SCOPE_RUN = "run";
    public static final String SCOPE_CUMULATIVE = "cumulative";

    public static final String SPHERE_STATS = "sphere_stats";
    public static final String TOKEN_TRAVEL = "token_travel";
    public static final String TOKEN_SAMPLES = "token_samples";
    public static final String RUNS = "runs";
    public static final String REJECTS = "rejects";
    public static final String CORPUS_FILES = "corpus_files";
    public static final String NIGHTLY_STATE = "nightly_state";

    // ---- Attention heads over the corpus (tw run --analyses heads; DESIGN §5) ----
    public static final String HEAD_STATS = "head_stats";
    public static final String QK_PAIRS = "qk_pairs";
    public static final String HEAD_SUBJECTS = "head_subjects";
    public static final String HEAD_CLUSTERS = "head_clusters";
    // ---- end of the head tables ----

    // ---- Static weight probes and word trajectories (tw probe, tw trajectory; DESIGN §6) ----
    public static final String EMBEDDING_NORMS = "embedding_norms";
    public static final String EMBEDDING_LN_DISTANCE = "embedding_ln_distance";
    public static final String PROBE_QK = "probe_qk";
    public static final String PROBE_VO = "probe_vo";
    public static final String HEAD_SVD = "head_svd";
    public static final String BIAS_PROBE = "bias_probe";
    public static final String TRAJECTORIES = "trajectories";
    // ---- end of the probe tables ----

    private static final Map<String, StructType> SCHEMAS = new LinkedHashMap<>();

    static {
        SCHEMAS.put(RUNS, runs());
        SCHEMAS.put(CORPUS_FILES, corpusFiles());
        SCHEMAS.put(NIGHTLY_STATE, nightlyState());
        SCHEMAS.put(REJECTS, rejects());
        SCHEMAS.put(SPHERE_STATS, sphereStats());
        SCHEMAS.put(TOKEN_TRAVEL, tokenTravel());
        SCHEMAS.put(TOKEN_SAMPLES, tokenSamples());
        // head tables (DESIGN §5)
        SCHEMAS.put(HEAD_STATS, headStats());
        SCHEMAS.put(QK_PAIRS, qkPairs());
        SCHEMAS.put(HEAD_SUBJECTS, headSubjects());
        SCHEMAS.put(HEAD_CLUSTERS, headClusters());
        // probe tables (DESIGN §6)
        SCHEMAS.put(EMBEDDING_NORMS, embeddingNorms());
        SCHEMAS.put(EMBEDDING_LN_DISTANCE, embeddingLnDistance());
        SCHEMAS.put(PROBE_QK, probeQk());
        SCHEMAS.put(PROBE_VO, probeVo());
        SCHEMAS.put(HEAD_SVD, headSvd());
        SCHEMAS.put(BIAS_PROBE, biasProbe());
        SCHEMAS.put(TRAJECTORIES, trajectories());
    }

    private TableSchemas() {}

    /** The names of every table, in the order the README documents them. */
    public static List<String> tables() {
        return List.copyOf(SCHEMAS.keySet());
    }

    public static boolean isKnown(String table) {
        return SCHEMAS.containsKey(table);
    }

    /** The table's full schema, partition column {@code run_date} last. */
    public static StructType schema(String table) {
        StructType schema = SCHEMAS.get(table);
        if (schema == null) {
            throw new IllegalArgumentException("unknown table '" + table + "'; known tables: " + tables());
        }
        return schema;
    }

    /** The columns the store is handed: {@link #schema(String)} without {@code run_date}. */
    public static StructType dataSchema(String table) {
        return without(table, List.of(RUN_DATE));
    }

    /**
     * The columns an analysis produces: {@link #dataSchema(String)} without {@code scope}, which the
     * run adds when it stages the rows (a nightly run stages both scopes of one table in one commit).
     */
    public static StructType producerSchema(String table) {
        return without(table, List.of(RUN_DATE, SCOPE));
    }

    /** Whether the table has a {@code scope} column (the aggregates a nightly lineage accumulates). */
    public static boolean isScoped(String table) {
        return List.of(schema(table).fieldNames()).contains(SCOPE);
    }

    private static StructType without(String table, List<String> names) {
        List<StructField> fields = new ArrayList<>();
        for (StructField field : schema(table).fields()) {
            if (!names.contains(field.name())) {
                fields.add(field);
            }
        }
        return DataTypes.createStructType(fields);
    }

    /** Per (layer, site, metric, position_bucket): the moments and quantiles of DESIGN §4. */
    private static StructType sphereStats() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .scope()
                .integer("layer")
                .string("site")               // resid_pre | resid_mid | resid_post
                .string("metric")             // norm, coord_mean, ... (DESIGN §4)
                .string("position_bucket")    // 0, 1, 2-3, 4-7, ..., all (all excludes position 0)
                .summary()
                .partition();
    }

    /** Per (layer, token): how far a token's residual travels, averaged over its occurrences. */
    private static StructType tokenTravel() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .scope()
                .integer("layer")
                .integer("token_id")
                .string("token")
                .bigint("count")
                .dbl("mean_norm")
                .dbl("mean_layer_angle")
                .dbl("mean_embed_angle")
                .dbl("mean_log_ratio")        // null when no occurrence has a next token
                .partition();
    }

    /** Sampled tokens with every per-token metric at one (layer, site); null where a metric does not exist there. */
    private static StructType tokenSamples() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .string("doc_id")
                .integer("window_idx")
                .integer("position")
                .integer("token_id")
                .string("token")
                .integer("layer")
                .string("site")
                .metricColumns()              // one per SphereMetric, in its order; null where undefined
                .partition();
    }

    // ---- Head tables (DESIGN §5): query positions t ≥ 1 only; token text beside every token id. ----

    /** Per (layer, head, metric, position_bucket): the aggregate columns of sphere_stats over the queries t ≥ 1. */
    private static StructType headStats() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .scope()
                .integer("layer")
                .integer("head")
                .string("metric")             // entropy, sink, self, prev, distance, result_norm, result_cos
                .string("position_bucket")    // query position: 1, 2-3, 4-7, ..., all (every t >= 1)
                .summary()
                .partition();
    }

    /**
     * Per (layer, head, rank): a (query token, key token) pair, k* = argmax_{1≤k≤t} p_k, from a
     * frequent-items sketch: estimates with bounds that hold the true value.
     */
    private static StructType qkPairs() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .scope()
                .integer("layer")
                .integer("head")
                .integer("rank")                          // 0 = most frequent
                .integer("query_token_id")
                .string("query_token")
                .integer("key_token_id")
                .string("key_token")
                .bigint("count")                          // estimated queries whose k* paired these tokens
                .bigint("count_lower_bound")
                .bigint("count_upper_bound")
                .dbl("attention_mass")                    // estimated Σ p_k* over those queries
                .dbl("attention_mass_lower_bound")
                .dbl("attention_mass_upper_bound")
                .dbl("mean_weight")                       // attention_mass / count
                .partition();
    }

    /** Per (layer, head, view, rank): the tokens a head writes towards (mean) or promotes on sampled queries (promoted). */
    private static StructType headSubjects() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .scope()
                .integer("layer")
                .integer("head")
                .string("view")               // mean | promoted
                .integer("rank")              // 0 = best
                .integer("token_id")
                .string("token")
                .dbl("score")                 // mean: E·(γ_f ⊙ S/n) + E·β_f; promoted: estimated count
                .partition();
    }

    /** Per (layer, head): its cluster by the cosine of standardized mean-view scores. */
    private static StructType headClusters() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .scope()
                .integer("layer")
                .integer("head")
                .integer("cluster")           // null for a head whose scores are all equal (no direction)
                .dbl("silhouette")            // this head's, cosine distance; null in a run of fewer than 3 heads
                .integer("cluster_size")
                .stringArray("cluster_label") // top 10 tokens of the cluster's centroid
                .partition();
    }

    // ---- end of the head tables ----

    /** The append-only ledger: one row per run, failed runs included. */
    private static StructType runs() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .stringArray("corpus_paths")
                .bigint("documents_read")
                .bigint("documents_processed")
                .bigint("documents_rejected")
                .bigint("windows")
                .bigint("windows_skipped")
                .bigint("tokens")
                .dbl("padding_fraction")
                .dbl("duration_s")
                .dbl("tokens_per_s")
                .bigint("model_loads")        // one per executor JVM that ran the model
                .stringArray("executors")     // executor-id@host:pid of each JVM that loaded the model
                .string("status")             // succeeded | failed
                .string("error")              // null unless failed
                .string("config_json")
                .string("mode")               // tw nightly: incremental: N new files | full: <why>; null otherwise
                .string("lineage")            // tw nightly: model id + configuration hash; null otherwise
                .string("spark_app_id")
                .string("project_version")
                .timestamp("started_at")
                .timestamp("finished_at")
                .partition();
    }

    /** Input the readers could not use, with the reason and a snippet of it. */
    private static StructType rejects() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .string("source")
                .string("location")
                .string("reason")
                .string("snippet")
                .partition();
    }

    /** One row per corpus file read. */
    private static StructType corpusFiles() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .scope()
                .string("path")
                .string("format")
                .bigint("bytes")
                .bigint("documents")
                .bigint("rejects")
                .timestamp("modified_at")     // tw nightly: the file's modification time when it was read; null in tw run
                .string("fingerprint")        // tw nightly: the file system's checksum, else sha-256 of the bytes; null in tw run
                .string("lineage")            // tw nightly: model id + configuration the file was read for; null in tw run
                .partition();
    }

    /**
     * Per nightly run and analysis: the merged partial of everything its lineage has read so far,
     * which the next night merges its own into (cumulative = previous cumulative + this night).
     */
    private static StructType nightlyState() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .string("lineage")
                .string("analysis")           // sphere | heads
                .binary("state")              // the analysis' mergeable partial (DESIGN §1)
                .partition();
    }

    // ---- Probe tables (tw probe, tw trajectory; DESIGN §6). Token text beside every token id;
    // blocks and heads 0-based; ranks 0 = first; ties in every ranking go to the lower token id. ----

    /** Per token: ‖e‖, ‖γ_f ⊙ e‖, β_f·e, the two sums, and each of the four scores' rank. */
    private static StructType embeddingNorms() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .integer("token_id")
                .string("token")
                .dbl("norm")
                .dbl("scaled_norm")
                .dbl("bias_score")
                .dbl("norm_plus_bias")
                .dbl("scaled_norm_plus_bias")
                .integer("rank_norm")                   // 0 = largest
                .integer("rank_scaled_norm")
                .integer("rank_norm_plus_bias")
                .integer("rank_scaled_norm_plus_bias")
                .partition();
    }

    /** Per setting of e: distance to LN(e) (no affine) over the vocabulary, population std. */
    private static StructType embeddingLnDistance() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .string("setting")                      // original | centered | scaled | centered_scaled
                .dbl("l2_mean")
                .dbl("l2_std")
                .dbl("cos_mean")                        // cosine distance 1 − cos
                .dbl("cos_std")
                .partition();
    }

    /** Per (block, head, query noun, rank): the key token and its score (q·W_QK)·k over LN1_b(E). */
    private static StructType probeQk() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .integer("block")
                .integer("head")
                .integer("query_token_id")
                .string("query_token")
                .integer("rank")
                .integer("key_token_id")
                .string("key_token")
                .dbl("score")
                .partition();
    }

    /** Per (block, head, noun, rank): the value token read through the logit lens; head −1 is the sum over heads. */
    private static StructType probeVo() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .integer("block")
                .integer("head")                        // −1: Σ_h update_h
                .integer("key_token_id")                // the noun attended to
                .string("key_token")
                .integer("rank")
                .integer("value_token_id")
                .string("value_token")
                .dbl("score")                           // value·E[token]
                .dbl("update_norm")                     // ‖update_h‖, without b_O
                .partition();
    }

    /** Per (block, head, matrix, rank < min(20, dh)): a singular value and its vectors' top-k tokens. */
    private static StructType headSvd() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .integer("block")
                .integer("head")
                .string("matrix")                       // QK | VO
                .integer("rank")
                .dbl("singular_value")
                .intArray("left_token_ids")             // vs LN1_b(E)
                .stringArray("left_tokens")
                .intArray("right_token_ids")            // vs LN1_b(E) for QK, E for VO
                .stringArray("right_tokens")
                .partition();
    }

    /** Per (block, head, kind, sign, rank): tokens of LN1_b(E) along the query- or key-bias direction. */
    private static StructType biasProbe() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .integer("block")
                .integer("head")
                .string("kind")                         // query (W_Q·b_Kᵀ) | key (b_Q·W_Kᵀ)
                .integer("sign")                        // 1: largest scores, −1: smallest
                .integer("rank")
                .integer("token_id")
                .string("token")
                .dbl("score")                           // the term's share of the attention score, 1/sqrt(dh) included
                .partition();
    }

    /** Per (phrase, position, stage): the logit lens, cosines to w_t and w_{t+1}, and the PCA coordinates of LNf(x). */
    private static StructType trajectories() {
        return new Columns()
                .string("run_id")
                .string("model_id")
                .integer("phrase_index")
                .string("phrase")
                .integer("position")
                .integer("token_id")
                .string("token")
                .integer("stage_index")                 // 0 embed, 1 embed+pos, 2 + l resid_post of block l
                .string("stage")                        // embed | embed+pos | resid_post.<l>
                .integer("layer")                       // null for embed and embed+pos
                .integer("next_token_id")               // null at the last position
                .string("next_token")
                .intArray("top_token_ids")              // logit lens of LNf(x), most probable first
                .stringArray("top_tokens")
                .doubleArray("top_probs")
                .dbl("cos_current")                     // cos(LNf(x), E[w_t])
                .dbl("cos_next")                        // cos(LNf(x), E[w_{t+1}]); null at the last position
                .dbl("x")                               // LNf(x) on the top 3 principal axes of LN(E)
                .dbl("y")
                .dbl("z")
                .partition();
    }

    // ---- end of the probe tables ----

    /** Builds a schema one column per line; every column nullable (see the class comment). */
    private static final class Columns {
        private final List<StructField> fields = new ArrayList<>();

        private Columns add(String name, DataType type) {
            fields.add(DataTypes.createStructField(name, type, true));
            return this;
        }

        Columns string(String name) {
            return add(name, DataTypes.StringType);
        }

        Columns integer(String name) {
            return add(name, DataTypes.IntegerType);
        }

        Columns bigint(String name) {
            return add(name, DataTypes.LongType);
        }

        Columns dbl(String name) {
            return add(name, DataTypes.DoubleType);
        }

        Columns binary(String name) {
            return add(name, DataTypes.BinaryType);
        }

        /** A double column per DESIGN §4 metric, named by its label, in {@link SphereMetric} order. */
        Columns metricColumns() {
            for (SphereMetric metric : SphereMetric.values()) {
                dbl(metric.label());
            }
            return this;
        }

        /** Which input an aggregate row covers: run (this run's) or cumulative (its nightly lineage's). */
        Columns scope() {
            return string(SCOPE);
        }

        Columns timestamp(String name) {
            return add(name, DataTypes.TimestampType);
        }

        Columns stringArray(String name) {
            return add(name, DataTypes.createArrayType(DataTypes.StringType, true));
        }

        Columns intArray(String name) {
            return add(name, DataTypes.createArrayType(DataTypes.IntegerType, true));
        }

        Columns doubleArray(String name) {
            return add(name, DataTypes.createArrayType(DataTypes.DoubleType, true));
        }

        /** The aggregate columns of sphere_stats and head_stats, in the order {@link SummaryRow} fills them. */
        Columns summary() {
            return bigint("count")
                    .dbl("mean")
                    .dbl("stddev")            // population
                    .dbl("min")
                    .dbl("max")
                    .dbl("p01")
                    .dbl("p05")
                    .dbl("p25")
                    .dbl("p50")
                    .dbl("p75")
                    .dbl("p95")
                    .dbl("p99")
                    .binary("sketch");        // serialized KLL float sketch (k = 200), mergeable by later runs
        }

        /** Ends the column list with the partition column. */
        StructType partition() {
            add(RUN_DATE, DataTypes.StringType);
            return DataTypes.createStructType(fields);
        }
    }
}
