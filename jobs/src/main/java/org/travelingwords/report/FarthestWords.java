package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.travelingwords.catalog.TableSchemas;

/** Per layer, the tokens whose residual has moved farthest from their embedding ({@code token_travel}). */
final class FarthestWords {

    static final int PER_LAYER = 8;
    /** A token seen a handful of times has a mean angle that says more about its contexts than about it. */
    static final long MIN_COUNT = 5;

    private final ReportContext context;

    FarthestWords(ReportContext context) {
        this.context = context;
    }

    String html() {
        if (!context.hasRows(TableSchemas.TOKEN_TRAVEL)) {
            return "";
        }
        List<Row> top = context.rows(TableSchemas.TOKEN_TRAVEL)
                .where(col("count").geq(MIN_COUNT).and(col("mean_embed_angle").isNotNull()))
                .withColumn("rank", row_number().over(Window.partitionBy("layer")
                        .orderBy(col("mean_embed_angle").desc(), col("token_id"))))
                .where(col("rank").leq(PER_LAYER))
                .select("layer", "rank", "token", "mean_embed_angle", "count")
                .collectAsList();
        StringBuilder html = new StringBuilder("<h3>The words that travel farthest</h3>");
        html.append("<p>Per layer, the tokens with the largest mean <code>embed_angle</code> after the block "
                + "(resid_post): how far, on average, a word's residual has moved from where its embedding "
                + "put it. Tokens seen at least ").append(MIN_COUNT).append(" times; the angle in radians.</p>");
        if (top.isEmpty()) {
            return html.append("<p class=\"muted\">No token was seen ").append(MIN_COUNT)
                    .append(" times in this run.</p>").toString();
        }
        Map<Integer, String[]> byLayer = new TreeMap<>();
        for (Row row : top) {
            String[] cells = byLayer.computeIfAbsent(row.getInt(0), layer -> emptyRow(layer));
            cells[row.getInt(1)] = Html.token(row.getString(2)) + "<br><span class=\"muted\">"
                    + Html.num(row.getDouble(3)) + "</span>";
        }
        List<String> headers = new ArrayList<>(List.of("layer"));
        for (int rank = 1; rank <= PER_LAYER; rank++) {
            headers.add("#" + rank);
        }
        HtmlTable table = new HtmlTable(headers).cssClass("data tokens");
        byLayer.values().forEach(table::row);
        return html.append(table.html()).toString();
    }

    private static String[] emptyRow(int layer) {
        String[] cells = new String[PER_LAYER + 1];
        Arrays.fill(cells, "");
        cells[0] = Integer.toString(layer);
        return cells;
    }
}
