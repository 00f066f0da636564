package org.travelingwords.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every output table's schema, defined here once (DESIGN §7).
 *
 * <p>A schema is what {@code spark.read().parquet("<out>/<table>")} gives back: the data columns in
 * order, then the partition column {@code run_date} (string, yyyy-MM-dd) last — also for {@code runs}.
 * Every column is nullable because Parquet written by Spark is; the comments say which columns are
 * actually null and when. Producers hand over rows of {@link #dataSchema(String)} (no run_date): the
 * store adds the run's date as the partition.
 */
public final class TableSchemas {

    public static final String RUN_DATE = "run_date";

    public static final String SPHERE_STATS = "sphere_stats";
    public static final String TOKEN_TRAVEL = "token_travel";
    public static final String TOKEN_SAMPLES = "token_samples";
    public static final String RUNS = "runs";
    public static final String REJECTS = "rejects";
    public static final String CORPUS_FILES = "corpus_files";

    private static final Map<String, StructType> SCHEMAS = new LinkedHashMap<>();

    static {
        SCHEMAS.put(RUNS, runs());
        SCHEMAS.put(CORPUS_FILES, corpusFiles());
        SCHEMAS.put(REJECTS, rejects());
        SCHEMAS.put(SPHERE_STATS, sphereStats());
        SCHEMAS.put(TOKEN_TRAVEL, tokenTravel());
        SCHEMAS.put(TOKEN_SAMPLES, tokenSamples());
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

    /** The columns a producer writes: {@link #schema(String)} without {@code run_date}. */
    public static StructType dataSchema(String table) {
        List<StructField> fields = new ArrayList<>();
        for (StructField field : schema(table).fields()) {
            if (!field.name().equals(RUN_DATE)) {
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
                .integer("layer")
                .string("site")               // resid_pre | resid_mid | resid_post
                .string("metric")             // norm, coord_mean, ... (DESIGN §4)
                .string("position_bucket")    // 0, 1, 2-3, 4-7, ..., all (all excludes position 0)
                .bigint("count")
                .dbl("mean")
                .dbl("stddev")                // population
                .dbl("min")
                .dbl("max")
                .dbl("p01")
                .dbl("p05")
                .dbl("p25")
                .dbl("p50")
                .dbl("p75")
                .dbl("p95")
                .dbl("p99")
                .binary("sketch")             // serialized KLL float sketch (k = 200), mergeable by later runs
                .partition();
    }

    /** Per (layer, token): how far a token's residual travels, averaged over its occurrences. */
    private static StructType tokenTravel() {
        return new Columns()
                .string("run_id")
                .string("model_id")
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
                .dbl("norm")
                .dbl("coord_mean")
                .dbl("ones_cos")
                .dbl("scale")
                .dbl("radius_error")
                .dbl("step_angle")            // null at resid_pre
                .dbl("layer_angle")           // resid_post only
                .dbl("embed_angle")
                .dbl("next_cos")              // resid_post only, t < T-1
                .dbl("log_ratio")             // resid_post only, t < T-1
                .dbl("next_logprob")          // full logit lens only
                .dbl("next_rank")             // full logit lens only
                .dbl("lens_entropy")          // full logit lens only
                .partition();
    }

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
                .string("path")
                .string("format")
                .bigint("bytes")
                .bigint("documents")
                .bigint("rejects")
                .partition();
    }

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

        Columns timestamp(String name) {
            return add(name, DataTypes.TimestampType);
        }

        Columns stringArray(String name) {
            return add(name, DataTypes.createArrayType(DataTypes.StringType, true));
        }

        /** Ends the column list with the partition column. */
        StructType partition() {
            add(RUN_DATE, DataTypes.StringType);
            return DataTypes.createStructType(fields);
        }
    }
}
