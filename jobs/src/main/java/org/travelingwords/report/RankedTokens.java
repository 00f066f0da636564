package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A ranked probe table folded to one line per key (e.g. head and query noun): its first tokens in
 * rank order, each with its score. Long tables are cut at {@code maxLines} with a note of what remains.
 */
final class RankedTokens {

    private final List<String> keys;
    private final String token;
    private final String score;
    private final int perLine;
    private final int maxLines;

    /** {@code keys} are columns of the table; one named {@code *token} is shown as a token. */
    RankedTokens(List<String> keys, String token, String score, int perLine, int maxLines) {
        this.keys = keys;
        this.token = token;
        this.score = score;
        this.perLine = perLine;
        this.maxLines = maxLines;
    }

    String html(Dataset<Row> rows) {
        List<Column> order = new ArrayList<>();
        keys.forEach(key -> order.add(col(key)));
        order.add(col("rank"));
        List<String> columns = new ArrayList<>(keys);
        columns.add(token);
        columns.add(score);
        List<Row> ranked = rows.where(col("rank").lt(perLine))
                .select(columns.stream().map(Column::new).toArray(Column[]::new))
                .orderBy(order.toArray(Column[]::new))
                .collectAsList();
        Map<List<Object>, StringBuilder> lines = new LinkedHashMap<>();
        for (Row row : ranked) {
            List<Object> key = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) {
                key.add(row.get(k));
            }
            StringBuilder line = lines.computeIfAbsent(key, unused -> new StringBuilder());
            line.append(Html.token(row.getString(keys.size()))).append(" <span class=\"muted\">")
                    .append(Html.num(row.isNullAt(keys.size() + 1) ? null : row.getDouble(keys.size() + 1)))
                    .append("</span> ");
        }
        List<String> headers = new ArrayList<>(keys);
        headers.add(token + " (" + score + "), by rank");
        HtmlTable table = new HtmlTable(headers).cssClass("data tokens");
        int shown = 0;
        for (Map.Entry<List<Object>, StringBuilder> line : lines.entrySet()) {
            if (shown++ == maxLines) {
                break;
            }
            String[] cells = new String[keys.size() + 1];
            for (int k = 0; k < keys.size(); k++) {
                cells[k] = cell(keys.get(k), line.getKey().get(k));
            }
            cells[keys.size()] = line.getValue().toString();
            table.row(cells);
        }
        String more = lines.size() > maxLines
                ? "<p class=\"muted\">and " + (lines.size() - maxLines) + " more lines (all of them: the probe run's probe-report.txt, or tw sql)</p>" : "";
        return table.html() + more;
    }

    private static String cell(String column, Object value) {
        if (column.endsWith("token")) {
            return Html.token((String) value);
        }
        if (column.equals("head") && Integer.valueOf(-1).equals(value)) {
            return "all (Σ)";   // probe_vo's sum over the block's heads
        }
        if (column.equals("sign")) {
            return Integer.valueOf(1).equals(value) ? "largest" : "smallest";   // bias_probe's two ends
        }
        return Html.text(String.valueOf(value));
    }
}
