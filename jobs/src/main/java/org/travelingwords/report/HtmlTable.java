package org.travelingwords.report;

import java.util.ArrayList;
import java.util.List;

/** A plain HTML table built row by row; cells are HTML already (escape with {@link Html}). */
final class HtmlTable {

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();
    private String cssClass = "data";

    HtmlTable(String... headers) {
        this.headers = List.of(headers);
    }

    /** Headers known only at run time (e.g. one column per rank). */
    HtmlTable(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    HtmlTable cssClass(String cssClass) {
        this.cssClass = cssClass;
        return this;
    }

    HtmlTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String html() {
        StringBuilder out = new StringBuilder("<table class=\"").append(cssClass).append("\">");
        if (!headers.isEmpty()) {
            out.append("<thead><tr>");
            for (String header : headers) {
                out.append("<th>").append(Html.text(header)).append("</th>");
            }
            out.append("</tr></thead>");
        }
        out.append("<tbody>");
        for (String[] row : rows) {
            out.append("<tr>");
            for (String cell : row) {
                out.append("<td>").append(cell).append("</td>");
            }
            out.append("</tr>");
        }
        return out.append("</tbody></table>\n").toString();
    }
}
