package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.TableSchemas;

/**
 * The paper's static probes of the run's model (DESIGN §6): the embedding tables, the LN distance
 * table, and per probed block the QK, VO, SVD and bias probes. They come from a {@code tw probe} run
 * of the same model when the reported run has none of its own.
 */
final class ProbesSection extends ReportSection {

    private static final List<String> TABLES = List.of(TableSchemas.EMBEDDING_NORMS,
            TableSchemas.EMBEDDING_LN_DISTANCE, TableSchemas.PROBE_QK, TableSchemas.PROBE_VO, TableSchemas.HEAD_SVD,
            TableSchemas.BIAS_PROBE);
    private static final List<String> PER_BLOCK = List.of(TableSchemas.PROBE_QK, TableSchemas.PROBE_VO,
            TableSchemas.HEAD_SVD, TableSchemas.BIAS_PROBE);
    /** The embedding scores the paper ranks tokens by, as embedding_norms' columns. */
    private static final List<String> SCORES = List.of("norm", "scaled_norm", "norm_plus_bias", "scaled_norm_plus_bias");
    /** LN distance's settings in the paper's order (one not listed sorts first). */
    private static final List<String> SETTINGS = List.of("original", "centered", "scaled", "centered_scaled");
    private static final int TOP = 10;
    private static final int TOKENS_PER_LINE = 5;
    /** Nouns whose every head the QK and VO tables show (all of them: probe-report.txt or tw sql). */
    private static final int NOUNS_SHOWN = 8;
    private static final int SVD_RANKS = 3;

    ProbesSection() {
        super("probes", "The paper's probes");
    }

    @Override
    public SectionBody render(ReportContext context) {
        Optional<String> probeRun = context.runOfModel(TABLES.toArray(String[]::new));
        if (probeRun.isEmpty()) {
            return SectionBody.absent("no probe tables for model " + context.run().getAs("model_id")
                    + " (tw probe writes them)");
        }
        Probes probes = new Probes(context, probeRun.get());
        StringBuilder html = new StringBuilder();
        if (!probeRun.get().equals(context.runId())) {
            html.append("<p>From probe run ").append(Html.text(probeRun.get())).append(" of the same model.</p>");
        }
        probes.rows(TableSchemas.EMBEDDING_NORMS).ifPresent(rows -> html.append(embeddingTables(rows)));
        probes.rows(TableSchemas.EMBEDDING_LN_DISTANCE).ifPresent(rows -> html.append(lnDistance(rows)));
        for (int block : probes.blocks()) {
            html.append("<h3>Block ").append(block).append("</h3>");
            probes.rows(TableSchemas.PROBE_QK, block).ifPresent(rows -> html.append("<h4>QK: what a noun attends to</h4>")
                    .append(new RankedTokens(List.of("query_token", "head"), "key_token", "score", TOKENS_PER_LINE,
                            NOUNS_SHOWN * linesPerNoun(rows)).html(rows)));
            probes.rows(TableSchemas.PROBE_VO, block).ifPresent(rows -> html.append("<h4>VO: what attending to a noun "
                            + "writes, read through the logit lens</h4>")
                    .append(new RankedTokens(List.of("key_token", "head"), "value_token", "score", TOKENS_PER_LINE,
                            NOUNS_SHOWN * linesPerNoun(rows)).html(rows)));
            probes.rows(TableSchemas.HEAD_SVD, block).ifPresent(rows -> html.append(svd(rows)));
            probes.rows(TableSchemas.BIAS_PROBE, block).ifPresent(rows -> html.append("<h4>Bias: tokens that attend, "
                            + "or are attended to, whatever the other side</h4>")
                    .append(new RankedTokens(List.of("head", "kind", "sign"), "token", "score", TOKENS_PER_LINE,
                            Integer.MAX_VALUE).html(rows)));
        }
        return SectionBody.of(html.toString());
    }

    /** Lines of one noun: one per head (and the sum over heads in probe_vo). */
    private static int linesPerNoun(Dataset<Row> rows) {
        return (int) rows.select("head").distinct().count();
    }

    /** The top tokens by each of the four embedding scores, side by side. */
    private static String embeddingTables(Dataset<Row> norms) {
        Column inAnyTop = lit(false);
        for (String score : SCORES) {
            inAnyTop = inAnyTop.or(col("rank_" + score).lt(TOP));
        }
        String[][] cells = new String[TOP][SCORES.size() + 1];
        for (Row row : norms.where(inAnyTop).collectAsList()) {
            for (int s = 0; s < SCORES.size(); s++) {
                String score = SCORES.get(s);
                int rank = row.<Integer>getAs("rank_" + score);
                if (rank < TOP) {
                    cells[rank][0] = Integer.toString(rank + 1);
                    cells[rank][s + 1] = Html.token(row.getAs("token")) + " <span class=\"muted\">"
                            + Html.num(row.<Double>getAs(score)) + "</span>";
                }
            }
        }
        HtmlTable table = new HtmlTable("rank", "‖e‖", "‖γ_f ⊙ e‖", "‖e‖ + β_f·e", "‖γ_f ⊙ e‖ + β_f·e")
                .cssClass("data tokens");
        for (String[] row : cells) {
            if (row[0] != null) {
                table.row(row);
            }
        }
        return "<h3>Embedding tables</h3><p>The tokens whose embedding e scores highest on each of the four "
                + "measures the logit lens grows with.</p>" + table.html();
    }

    private static String lnDistance(Dataset<Row> distances) {
        HtmlTable table = new HtmlTable("setting of e", "‖e − LN(e)‖ mean", "std", "1 − cos mean", "std")
                .cssClass("data numbers");
        List<Row> rows = distances.collectAsList().stream()
                .sorted(Comparator.comparingInt(row -> SETTINGS.indexOf(row.<String>getAs("setting"))))
                .toList();
        for (Row row : rows) {
            table.row(Html.text(row.getAs("setting")), Html.num(row.<Double>getAs("l2_mean")),
                    Html.num(row.<Double>getAs("l2_std")), Html.num(row.<Double>getAs("cos_mean")),
                    Html.num(row.<Double>getAs("cos_std")));
        }
        return "<h3>LN distance</h3><p>How far the embeddings are from what LayerNorm (without γ, β) makes of "
                + "them, once centred and/or scaled.</p>" + table.html();
    }

    /** The leading singular values of each head's W_QK and W_VO, with the tokens their vectors point at. */
    private static String svd(Dataset<Row> rows) {
        HtmlTable table = new HtmlTable("head", "matrix", "rank", "singular value", "left vector's tokens",
                "right vector's tokens").cssClass("data tokens");
        List<Row> leading = rows.where(col("rank").lt(SVD_RANKS)).orderBy("head", "matrix", "rank").collectAsList();
        for (Row row : leading) {
            table.row(Integer.toString(row.<Integer>getAs("head")), Html.text(row.getAs("matrix")),
                    Integer.toString(row.<Integer>getAs("rank")), Html.num(row.<Double>getAs("singular_value")),
                    tokens(row.getList(row.fieldIndex("left_tokens"))),
                    tokens(row.getList(row.fieldIndex("right_tokens"))));
        }
        return "<h4>SVD of W_QK and W_VO</h4>" + table.html();
    }

    private static String tokens(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (String token : tokens.subList(0, Math.min(TOKENS_PER_LINE, tokens.size()))) {
            out.append(Html.token(token)).append(' ');
        }
        return out.toString();
    }

    /** The probe run's rows, table by table and block by block; each table is looked at once. */
    private static final class Probes {
        private final ReportContext context;
        private final String runId;
        private final Map<String, Optional<Dataset<Row>>> rows = new HashMap<>();
        private final Map<String, Set<Integer>> blocks = new HashMap<>();

        Probes(ReportContext context, String runId) {
            this.context = context;
            this.runId = runId;
        }

        Optional<Dataset<Row>> rows(String table) {
            return rows.computeIfAbsent(table, t -> {
                if (!context.hasTable(t)) {
                    return Optional.empty();
                }
                Dataset<Row> found = context.rows(t, runId);
                return found.isEmpty() ? Optional.empty() : Optional.of(found);
            });
        }

        Optional<Dataset<Row>> rows(String table, int block) {
            return blocksOf(table).contains(block)
                    ? rows(table).map(found -> found.where(col("block").equalTo(block)))
                    : Optional.empty();
        }

        /** Every block any per-block table probed, in order. */
        Set<Integer> blocks() {
            Set<Integer> all = new TreeSet<>();
            PER_BLOCK.forEach(table -> all.addAll(blocksOf(table)));
            return all;
        }

        private Set<Integer> blocksOf(String table) {
            return blocks.computeIfAbsent(table, t -> {
                Set<Integer> found = new TreeSet<>();
                rows(t).ifPresent(r -> r.select("block").distinct().collectAsList()
                        .forEach(row -> found.add(row.getInt(0))));
                return found;
            });
        }
    }
}
