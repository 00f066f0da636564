package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.row_number;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.travelingwords.catalog.TableSchemas;

/** The run's ledger row, its configuration, its input files and what the readers rejected. */
final class RunSection extends ReportSection {

    private static final int EXAMPLES_PER_REASON = 3;
    private static final int FILES_SHOWN = 20;
    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    RunSection() {
        super("run", "Run");
    }

    @Override
    public SectionBody render(ReportContext context) {
        Row run = context.run();
        StringBuilder html = new StringBuilder();
        html.append("<div class=\"columns\"><div>").append(facts(run).html()).append("</div><div>")
                .append("<h3>Configuration</h3>").append(configuration(run.getAs("config_json")))
                .append("</div></div>");
        if (context.hasRows(TableSchemas.CORPUS_FILES)) {
            html.append("<h3>Input files</h3>").append(files(context));
        }
        html.append("<h3>Rejected input</h3>").append(rejects(context));
        return SectionBody.of(html.toString());
    }

    private static HtmlTable facts(Row run) {
        HtmlTable table = new HtmlTable().cssClass("facts");
        String status = run.getAs("status");
        String error = run.getAs("error");
        table.row("run", Html.text(run.getAs("run_id")) + " <span class=\"muted\">(run_date "
                + Html.text(run.getAs("run_date")) + ")</span>");
        table.row("status", "<span class=\"status-" + Html.text(status) + "\">" + Html.text(status) + "</span>"
                + (error != null ? ": " + Html.text(error) : ""));
        table.row("model", Html.text(run.getAs("model_id")));
        table.row("corpus", list(run, "corpus_paths"));
        table.row("documents", countOf(run, "documents_read") + " read, " + countOf(run, "documents_processed")
                + " processed, " + countOf(run, "documents_rejected") + " rejected");
        table.row("windows", countOf(run, "windows") + " (" + countOf(run, "windows_skipped") + " skipped), padding "
                + format(run, "padding_fraction", "%.1f%%", 100));
        table.row("tokens", countOf(run, "tokens"));
        table.row("throughput", format(run, "tokens_per_s", "%,.0f tokens/s", 1));
        Double seconds = run.getAs("duration_s");
        table.row("duration", seconds == null ? "–" : duration(seconds));
        table.row("started – finished", utc(run.getAs("started_at")) + " – " + utc(run.getAs("finished_at")) + " UTC");
        table.row("model loads", countOf(run, "model_loads"));
        table.row("executors", list(run, "executors"));
        table.row("Spark application", Html.text(run.getAs("spark_app_id")));
        table.row("version", Html.text(run.getAs("project_version")));
        return table;
    }

    /** The effective configuration as a setting/value table; shown raw if it is not a JSON object. */
    private static String configuration(String json) {
        if (json == null) {
            return "<p class=\"muted\">not recorded</p>";
        }
        JsonObject settings;
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) {
                return "<pre>" + Html.text(json) + "</pre>";
            }
            settings = parsed.getAsJsonObject();
        } catch (JsonSyntaxException e) {
            return "<pre>" + Html.text(json) + "</pre>";
        }
        HtmlTable table = new HtmlTable().cssClass("facts");
        addSettings(table, "", settings);
        return table.html();
    }

    /**
     * One row per setting; an analysis' nested settings become one row each ({@code heads.qkTop}), and
     * lists are joined with spaces after the commas, so that no line outgrows the page.
     */
    private static void addSettings(HtmlTable table, String prefix, JsonObject settings) {
        for (Map.Entry<String, JsonElement> setting : settings.entrySet()) {
            JsonElement value = setting.getValue();
            String key = prefix + setting.getKey();
            if (value.isJsonObject()) {
                addSettings(table, key + ".", value.getAsJsonObject());
                continue;
            }
            String shown;
            if (value.isJsonArray()) {
                List<String> items = new ArrayList<>();
                value.getAsJsonArray().forEach(item -> items.add(item.isJsonPrimitive() ? item.getAsString() : item.toString()));
                shown = String.join(", ", items);
            } else {
                shown = value.isJsonPrimitive() ? value.getAsString() : value.isJsonNull() ? "–" : value.toString();
            }
            table.row(Html.text(key), Html.text(shown));
        }
    }

    private static String files(ReportContext context) {
        Dataset<Row> files = context.rows(TableSchemas.CORPUS_FILES);
        long total = files.count();
        HtmlTable table = new HtmlTable("path", "format", "bytes", "documents", "rejects");
        for (Row file : files.orderBy("path").limit(FILES_SHOWN).collectAsList()) {
            table.row(Html.text(file.getAs("path")), Html.text(file.getAs("format")),
                    Html.count(file.<Long>getAs("bytes")), Html.count(file.<Long>getAs("documents")),
                    Html.count(file.<Long>getAs("rejects")));
        }
        String more = total > FILES_SHOWN
                ? "<p class=\"muted\">and " + Html.count(total - FILES_SHOWN) + " more files</p>" : "";
        return table.html() + more;
    }

    /** Counts by reason, with the first few rejected records of each as examples. */
    private static String rejects(ReportContext context) {
        if (!context.hasRows(TableSchemas.REJECTS)) {
            return "<p>No input was rejected.</p>";
        }
        Dataset<Row> rejects = context.rows(TableSchemas.REJECTS)
                .withColumn("reason_total", count("*").over(Window.partitionBy("reason")))
                .withColumn("example", row_number().over(Window.partitionBy("reason").orderBy("source", "location")))
                .where(col("example").leq(EXAMPLES_PER_REASON))
                .orderBy(col("reason_total").desc(), col("reason"), col("example"));
        HtmlTable table = new HtmlTable("reason", "records", "examples (source, location: snippet)");
        String reason = null;
        StringBuilder examples = new StringBuilder();
        long total = 0;
        for (Row reject : rejects.collectAsList()) {
            if (!reject.getAs("reason").equals(reason)) {
                if (reason != null) {
                    table.row(Html.text(reason), Html.count(total), examples.toString());
                }
                reason = reject.getAs("reason");
                total = reject.<Long>getAs("reason_total");
                examples.setLength(0);
            }
            examples.append("<div class=\"example\"><span class=\"muted\">").append(Html.text(reject.getAs("source")))
                    .append(", ").append(Html.text(reject.getAs("location"))).append(":</span> <code>")
                    .append(Html.text(reject.getAs("snippet"))).append("</code></div>");
        }
        table.row(Html.text(reason), Html.count(total), examples.toString());
        return table.html();
    }

    // Ledger rows written before a column existed read it as null: every field tolerates that.

    private static String countOf(Row run, String column) {
        Long value = run.getAs(column);
        return value == null ? "–" : Html.count(value);
    }

    private static String format(Row run, String column, String pattern, double factor) {
        Double value = run.getAs(column);
        return value == null ? "–" : String.format(Locale.ROOT, pattern, factor * value);
    }

    private static String list(Row run, String column) {
        if (run.isNullAt(run.fieldIndex(column))) {
            return "–";
        }
        List<String> items = run.getList(run.fieldIndex(column));
        StringBuilder out = new StringBuilder();
        for (String item : items) {
            out.append(out.length() == 0 ? "" : "<br>").append(Html.text(item));
        }
        return out.toString();
    }

    private static String utc(Timestamp time) {
        return time == null ? "–" : UTC_SECONDS.format(time.toInstant());
    }

    private static String duration(double seconds) {
        long whole = Math.round(seconds);
        if (whole < 120) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        return whole >= 3600
                ? String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole / 60 % 60)
                : String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
    }
}
