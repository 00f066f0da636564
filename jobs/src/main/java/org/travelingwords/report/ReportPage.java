package org.travelingwords.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * The whole page: header, contents, each present section, and the list of sections the run has
 * no tables for with the reason. One file: CSS inline, images as data URIs, no script, no external
 * reference of any kind, so it reads the same offline, mailed, or printed.
 */
final class ReportPage {

    private static final DateTimeFormatter UTC_MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ReportContext context;
    private final List<ReportSection> sections;

    ReportPage(ReportContext context, List<ReportSection> sections) {
        this.context = context;
        this.sections = sections;
    }

    String html() throws IOException {
        List<ReportSection> shown = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        StringBuilder omitted = new StringBuilder();
        for (ReportSection section : sections) {
            SectionBody body = section.render(context);
            if (body.present()) {
                shown.add(section);
                bodies.add(body.html());
            } else {
                omitted.append("<li id=\"omitted-").append(section.id()).append("\"><strong>")
                        .append(Html.text(section.title())).append("</strong>: ").append(Html.text(body.whyAbsent()))
                        .append("</li>");
            }
        }
        Row run = context.run();
        String runId = Html.text(context.runId());
        StringBuilder page = new StringBuilder(1 << 20);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Traveling Words — run ").append(runId).append("</title>\n")
                .append("<style>\n").append(stylesheet()).append("</style>\n</head>\n<body>\n");
        page.append("<header><h1>Traveling Words <span class=\"muted\">run</span> ").append(runId).append("</h1>")
                .append("<p class=\"subtitle\">").append(Html.text(run.getAs("model_id"))).append(" · run date ")
                .append(Html.text(run.getAs("run_date"))).append(" · ")
                .append(run.isNullAt(run.fieldIndex("tokens")) ? "–" : Html.count(run.<Long>getAs("tokens")))
                .append(" tokens · ").append(Html.text(run.getAs("status"))).append("</p></header>\n");
        page.append("<nav><h2>Contents</h2><ol>");
        for (ReportSection section : shown) {
            page.append("<li><a href=\"#").append(section.id()).append("\">").append(Html.text(section.title()))
                    .append("</a></li>");
        }
        page.append("</ol>");
        if (omitted.length() > 0) {
            page.append("<div class=\"omitted\"><h3>Not in this report</h3><ul>").append(omitted).append("</ul></div>");
        }
        page.append("</nav>\n<main>\n");
        for (int i = 0; i < shown.size(); i++) {
            ReportSection section = shown.get(i);
            page.append("<section id=\"").append(section.id()).append("\"><h2>").append(Html.text(section.title()))
                    .append("</h2>\n").append(bodies.get(i)).append("</section>\n");
        }
        page.append("</main>\n<footer>Written by <code>tw report</code> on ").append(UTC_MINUTES.format(Instant.now()))
                .append(" UTC from ").append(Html.text(context.store().root())).append(".</footer>\n</body>\n</html>\n");
        return page.toString();
    }

    private static String stylesheet() throws IOException {
        try (InputStream css = ReportPage.class.getResourceAsStream("report.css")) {
            if (css == null) {
                throw new IOException("report.css is missing from the classpath");
            }
            return new String(css.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
