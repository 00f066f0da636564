package org.travelingwords.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;

/**
 * A run's tables made up without a model: small synthetic rows in the tables' schemas, kept and
 * committed through {@link TableStore} like a real run. Rows are written as column → value maps, so
 * a column the fixture does not set is null.
 */
final class FixtureRun {

    static final String MODEL = "fixture@0123abcd";
    static final int LAYERS = 4;
    static final int HEADS = 3;
    static final int D_MODEL = 64;
    /** Token strings a page must show as text, never as markup. */
    static final List<String> TRICKY_TOKENS = List.of("<script>alert(1)</script>", " &amp;", " \"quoted\"", "\n", " it's");

    private static final List<String> SITES = List.of("resid_pre", "resid_mid", "resid_post");
    private static final List<String> BUCKETS = List.of("0", "1", "2-3", "4-7", "all");
    private static final List<String> WORDS = List.of(" rivers", " mountains", " bread", " cheese", " the", ",", " of",
            " Document");

    private final SparkSession spark;
    private final TableStore store;
    private final Map<String, Dataset<Row>> staged = new LinkedHashMap<>();
    private final String runId;
    private final String runDate;

    FixtureRun(SparkSession spark, TableStore store, String runId, String runDate) {
        this.spark = spark;
        this.store = store;
        this.runId = runId;
        this.runDate = runDate;
    }

    /** sphere_stats for {@link #LAYERS} layers; {@code shift} moves every curve, so two runs differ. */
    FixtureRun sphere(double shift) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int s = 0; s < SITES.size(); s++) {
                String site = SITES.get(s);
                double depth = layer + s / 2.0;
                for (int b = 0; b < BUCKETS.size(); b++) {
                    String bucket = BUCKETS.get(b);
                    stat(rows, layer, site, "norm", bucket, 3 + 2 * depth + shift, 1.0);
                    stat(rows, layer, site, "scale", bucket, (3 + 2 * depth + shift) / Math.sqrt(D_MODEL), 0.1);
                    stat(rows, layer, site, "coord_mean", bucket, 0.01 * layer, 0.05);
                    stat(rows, layer, site, "ones_cos", bucket, 0.02 * layer, 0.05);
                    stat(rows, layer, site, "radius_error", bucket, -3e-5, 1e-5);
                    stat(rows, layer, site, "embed_angle", bucket, 0.35 * depth + shift / 10, 0.15);
                    if (!site.equals("resid_pre")) {
                        double step = site.equals("resid_mid") ? 0.5 + 0.05 * layer : 0.7 - 0.05 * layer;
                        stat(rows, layer, site, "step_angle", bucket, step + shift / 20, 0.1);
                    }
                    if (site.equals("resid_post")) {
                        stat(rows, layer, site, "layer_angle", bucket, 0.9 - 0.05 * layer, 0.1);
                        stat(rows, layer, site, "next_cos", bucket, 0.02 * layer, 0.1);
                        stat(rows, layer, site, "log_ratio", bucket, -1 + 0.6 * layer + 0.1 * b + shift, 1.5);
                    }
                }
            }
        }
        return stage(TableSchemas.SPHERE_STATS, rows);
    }

    private void stat(List<Map<String, Object>> rows, int layer, String site, String metric, String bucket,
                      double median, double spread) {
        Map<String, Object> row = new HashMap<>();
        row.put("layer", layer);
        row.put("site", site);
        row.put("metric", metric);
        row.put("position_bucket", bucket);
        row.put("count", 100L);
        row.put("mean", median + spread / 10);
        row.put("stddev", spread / 2);
        row.put("min", median - 2 * spread);
        row.put("max", median + 2 * spread);
        row.put("p01", median - 1.8 * spread);
        row.put("p05", median - spread);
        row.put("p25", median - spread / 3);
        row.put("p50", median);
        row.put("p75", median + spread / 3);
        row.put("p95", median + 1.2 * spread);
        row.put("p99", median + 1.9 * spread);
        row.put("sketch", new byte[] {1, 2, 3});
        rows.add(row);
    }

    /** token_travel: plain words and {@link #TRICKY_TOKENS}, each seen often enough to be ranked. */
    FixtureRun travel() {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> tokens = new ArrayList<>(WORDS);
        tokens.addAll(TRICKY_TOKENS);
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int t = 0; t < tokens.size(); t++) {
                Map<String, Object> row = new HashMap<>();
                row.put("layer", layer);
                row.put("token_id", 1000 + t);
                row.put("token", tokens.get(t));
                row.put("count", 10L + t);
                row.put("mean_norm", 5.0 + layer);
                row.put("mean_layer_angle", 0.5 + 0.01 * t);
                row.put("mean_embed_angle", 0.3 * (layer + 1) + 0.02 * ((t * 7 + layer) % tokens.size()));
                row.put("mean_log_ratio", 0.1 * t - 0.5);
                rows.add(row);
            }
        }
        return stage(TableSchemas.TOKEN_TRAVEL, rows);
    }

    /** Rejects of two reasons, snippets with markup in them; and the one corpus file they came from. */
    FixtureRun rejects() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("source", "/corpus/web.jsonl");
            row.put("location", "line " + (10 + i));
            row.put("reason", i < 4 ? "invalid_json (malformed at column 3)" : "empty_document");
            row.put("snippet", i < 4 ? "{\"text\": \"<b>bold</b> & broken" : "{\"text\": \"\"}");
            rows.add(row);
        }
        stage(TableSchemas.REJECTS, rows);
        Map<String, Object> file = new HashMap<>();
        file.put("path", "/corpus/web.jsonl");
        file.put("format", "jsonl");
        file.put("bytes", 123_456L);
        file.put("documents", 40L);
        file.put("rejects", 5L);
        return stage(TableSchemas.CORPUS_FILES, List.of(file));
    }

    /** The four head tables for {@link #LAYERS} layers of {@link #HEADS} heads, in two clusters. */
    FixtureRun heads() {
        List<Map<String, Object>> stats = new ArrayList<>();
        List<Map<String, Object>> pairs = new ArrayList<>();
        List<Map<String, Object>> subjects = new ArrayList<>();
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int head = 0; head < HEADS; head++) {
                for (String metric : List.of("entropy", "sink", "self", "prev", "distance", "result_norm", "result_cos")) {
                    double value = 0.1 * (layer + 1) + 0.05 * head + (metric.equals("entropy") ? 1 : 0);
                    for (String bucket : List.of("1", "all")) {
                        Map<String, Object> row = row("layer", layer, "head", head, "metric", metric,
                                "position_bucket", bucket, "count", 50L, "sketch", new byte[] {1});
                        for (String column : List.of("mean", "stddev", "min", "max", "p01", "p05", "p25", "p50", "p75",
                                "p95", "p99")) {
                            row.put(column, value);
                        }
                        stats.add(row);
                    }
                }
                for (int rank = 0; rank < 3; rank++) {
                    pairs.add(row("layer", layer, "head", head, "rank", rank, "query_token_id", 1000 + rank,
                            "query_token", WORDS.get(rank), "key_token_id", 1010 + rank, "key_token",
                            TRICKY_TOKENS.get((head + rank) % TRICKY_TOKENS.size()), "count", 40L - 10 * rank - head,
                            "count_lower_bound", 30L, "count_upper_bound", 50L, "attention_mass", 20.0,
                            "attention_mass_lower_bound", 15.0, "attention_mass_upper_bound", 25.0,
                            "mean_weight", 0.5 - 0.1 * rank));
                    for (String view : List.of("mean", "promoted")) {
                        subjects.add(row("layer", layer, "head", head, "view", view, "rank", rank,
                                "token_id", 1000 + rank, "token", WORDS.get((layer + head + rank) % WORDS.size()),
                                "score", 3.0 - rank));
                    }
                }
                boolean firstCluster = (layer + head) % 2 == 0;
                clusters.add(row("layer", layer, "head", head, "cluster", firstCluster ? 0 : 1, "silhouette", 0.4,
                        "cluster_size", LAYERS * HEADS / 2, "cluster_label",
                        firstCluster ? new String[] {" rivers", " mountains"} : new String[] {"<b>", " &amp;"}));
            }
        }
        stage(TableSchemas.HEAD_STATS, stats);
        stage(TableSchemas.QK_PAIRS, pairs);
        stage(TableSchemas.HEAD_SUBJECTS, subjects);
        return stage(TableSchemas.HEAD_CLUSTERS, clusters);
    }

    /** Every static probe table for blocks 0 and 1 of a 2-head model. */
    FixtureRun probes() {
        List<Map<String, Object>> norms = new ArrayList<>();
        List<String> tokens = new ArrayList<>(WORDS);
        tokens.addAll(TRICKY_TOKENS);
        for (int t = 0; t < tokens.size(); t++) {
            Map<String, Object> row = row("token_id", 1000 + t, "token", tokens.get(t), "norm", 3.0 + t,
                    "scaled_norm", 2.0 + t, "bias_score", -0.1 * t, "norm_plus_bias", 3.0 + 0.9 * t,
                    "scaled_norm_plus_bias", 2.0 + 0.9 * t);
            int rank = tokens.size() - 1 - t;
            for (String score : List.of("norm", "scaled_norm", "norm_plus_bias", "scaled_norm_plus_bias")) {
                row.put("rank_" + score, rank);
            }
            norms.add(row);
        }
        stage(TableSchemas.EMBEDDING_NORMS, norms);
        List<Map<String, Object>> distances = new ArrayList<>();
        for (String setting : List.of("original", "centered", "scaled", "centered_scaled")) {
            distances.add(row("setting", setting, "l2_mean", 4.5, "l2_std", 0.3, "cos_mean", 0.02, "cos_std", 0.01));
        }
        stage(TableSchemas.EMBEDDING_LN_DISTANCE, distances);
        List<Map<String, Object>> qk = new ArrayList<>();
        List<Map<String, Object>> vo = new ArrayList<>();
        List<Map<String, Object>> svd = new ArrayList<>();
        List<Map<String, Object>> bias = new ArrayList<>();
        for (int block = 0; block < 2; block++) {
            for (int head = -1; head < 2; head++) {
                for (int rank = 0; rank < 6; rank++) {
                    String token = tokens.get((block + head + 1 + rank) % tokens.size());
                    vo.add(row("block", block, "head", head, "key_token_id", 1001, "key_token", " mountains",
                            "rank", rank, "value_token_id", 1000 + rank, "value_token", token, "score", 5.0 - rank,
                            "update_norm", 2.5));
                    if (head < 0) {
                        continue;
                    }
                    qk.add(row("block", block, "head", head, "query_token_id", 1000, "query_token", " rivers",
                            "rank", rank, "key_token_id", 1000 + rank, "key_token", token, "score", 3.0 - rank / 2.0));
                    svd.add(row("block", block, "head", head, "matrix", rank % 2 == 0 ? "QK" : "VO", "rank", rank / 2,
                            "singular_value", 9.0 / (rank + 1), "left_token_ids", new int[] {1000, 1001},
                            "left_tokens", new String[] {token, " bread"}, "right_token_ids", new int[] {1002},
                            "right_tokens", new String[] {" cheese"}));
                    bias.add(row("block", block, "head", head, "kind", rank % 2 == 0 ? "query" : "key",
                            "sign", rank < 3 ? 1 : -1, "rank", rank / 2 % 3, "token_id", 1000 + rank, "token", token,
                            "score", 1.0 - rank / 5.0));
                }
            }
        }
        stage(TableSchemas.PROBE_QK, qk);
        stage(TableSchemas.PROBE_VO, vo);
        stage(TableSchemas.HEAD_SVD, svd);
        return stage(TableSchemas.BIAS_PROBE, bias);
    }

    /** Two phrases' trajectories, and the figure of each where tw trajectory leaves it under {@code out}. */
    FixtureRun trajectories(Path out) throws IOException {
        List<String> phrases = List.of("The river flows", "Bread & <cheese>");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int p = 0; p < phrases.size(); p++) {
            for (int stage = 0; stage < LAYERS + 2; stage++) {
                rows.add(row("phrase_index", p, "phrase", phrases.get(p), "position", 0, "token_id", 1000,
                        "token", " river", "stage_index", stage, "stage", stage < 2 ? "embed" : "resid_post." + (stage - 2),
                        "layer", stage < 2 ? null : stage - 2, "top_token_ids", new int[] {1000},
                        "top_tokens", new String[] {" river"}, "top_probs", new double[] {0.5}, "cos_current", 0.9,
                        "x", 0.1 * stage, "y", 0.2, "z", 0.3));
            }
            BufferedImage figure = new BufferedImage(450, 380, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = figure.createGraphics();
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, 450, 380);
            graphics.setColor(Color.BLUE);
            graphics.drawLine(20, 360, 430, 20 + 100 * p);
            graphics.dispose();
            Path file = out.resolve("trajectory-plots").resolve(runId).resolve(String.format("phrase-%02d.png", p));
            Files.createDirectories(file.getParent());
            ImageIO.write(figure, "png", file.toFile());
        }
        return stage(TableSchemas.TRAJECTORIES, rows);
    }

    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /** Commits the tables and adds the ledger row; a failed run commits nothing, as a real one. */
    void finish(String status, Instant finishedAt) throws IOException {
        RunRecord record = new RunRecord(runId, runDate, MODEL, List.of("/corpus/web.jsonl"), 45, 40, 5, 60, 1,
                12_345, 0.02, 30.5, 404.8, 1, List.of("driver@127.0.0.1:4242"), RunRecord.SUCCEEDED, null,
                "{\"model\":\"fixture\",\"blockSize\":64,\"analyses\":[\"sphere\"],\"note\":\"<not markup>\"}",
                null, null, "local-1", "test", finishedAt.minusSeconds(31), finishedAt);
        if (RunRecord.SUCCEEDED.equals(status)) {
            staged.forEach((table, rows) -> store.commit(table, rows, runId, runDate, MODEL, 0));
            store.appendRun(record, 0);
        } else {
            store.appendRun(record.failed("boom <simulated>", finishedAt), 0);
        }
    }

    private FixtureRun stage(String table, List<Map<String, Object>> rows) {
        StructType schema = TableSchemas.dataSchema(table);
        List<Row> data = new ArrayList<>();
        for (Map<String, Object> values : rows) {
            Object[] row = new Object[schema.fields().length];
            for (int c = 0; c < row.length; c++) {
                StructField field = schema.fields()[c];
                row[c] = switch (field.name()) {
                    case "run_id" -> runId;
                    case "model_id" -> MODEL;
                    case "scope" -> TableSchemas.SCOPE_RUN;
                    default -> values.get(field.name());
                };
            }
            data.add(RowFactory.create(row));
        }
        staged.put(table, spark.createDataFrame(data, schema));
        return this;
    }
}
