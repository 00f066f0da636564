package org.travelingwords.catalog;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Prints query results as {@link ResultFormat#TABLE}, {@link ResultFormat#CSV} or
 * {@link ResultFormat#JSON}. Values are rendered by Spark (a cast to string, binary as hex; JSON
 * by {@code to_json}) so they read as in Spark's own output: timestamps in the session time zone,
 * arrays as {@code [a, b]}. CSV and JSON stream row by row; the table needs every row for its widths.
 */
public final class ResultPrinter {

    private static final String NULL_CELL = "NULL";

    private final ResultFormat format;
    private final PrintWriter out;

    public ResultPrinter(ResultFormat format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    /** Prints the result and says whether it printed anything: a statement without columns (DDL, e.g. CREATE VIEW) prints nothing. */
    public boolean print(Dataset<Row> result) {
        String[] names = result.columns();
        if (names.length > 0) {
            // Positional names first: a result may repeat a column name (a join), which col(name) cannot pick.
            Dataset<Row> positional = result.toDF(positionalNames(names.length));
            switch (format) {
                case TABLE -> printTable(names, asText(positional));
                case CSV -> printCsv(names, asText(positional));
                case JSON -> printJson(names, positional);
                default -> throw new IllegalStateException(format.name());
            }
        }
        out.flush();
        return names.length > 0;
    }

    private void printTable(String[] names, Dataset<Row> text) {
        List<String[]> rows = new ArrayList<>();
        int[] widths = new int[names.length];
        for (int c = 0; c < names.length; c++) {
            widths[c] = Math.max(3, width(names[c]));
        }
        for (Row row : text.collectAsList()) {
            String[] cells = new String[names.length];
            for (int c = 0; c < cells.length; c++) {
                cells[c] = row.isNullAt(c) ? NULL_CELL : escapeControls(row.getString(c));
                widths[c] = Math.max(widths[c], width(cells[c]));
            }
            rows.add(cells);
        }
        String rule = rule(widths);
        out.println(rule);
        out.println(line(names, widths));
        out.println(rule);
        for (String[] cells : rows) {
            out.println(line(cells, widths));
        }
        out.println(rule);
    }

    private void printCsv(String[] names, Dataset<Row> text) {
        List<String> header = new ArrayList<>();
        for (String name : names) {
            header.add(csvField(name));
        }
        out.println(String.join(",", header));
        Iterator<Row> rows = text.toLocalIterator();
        while (rows.hasNext()) {
            Row row = rows.next();
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < names.length; c++) {
                if (c > 0) {
                    line.append(',');
                }
                if (!row.isNullAt(c)) {
                    line.append(csvField(row.getString(c)));
                }
            }
            out.println(line);
        }
    }

    private void printJson(String[] names, Dataset<Row> positional) {
        Column[] fields = new Column[names.length];
        for (int c = 0; c < names.length; c++) {
            fields[c] = functions.col(positionalName(c)).as(names[c]);
        }
        Iterator<String> lines = positional
                .select(functions.to_json(functions.struct(fields), Map.of("ignoreNullFields", "false")))
                .as(Encoders.STRING())
                .toLocalIterator();
        while (lines.hasNext()) {
            out.println(lines.next());
        }
    }

    /** Every column as a display string (null stays null). */
    private static Dataset<Row> asText(Dataset<Row> positional) {
        StructField[] fields = positional.schema().fields();
        Column[] text = new Column[fields.length];
        for (int c = 0; c < fields.length; c++) {
            Column column = functions.col(fields[c].name());
            DataType type = fields[c].dataType();
            if (type.sameType(DataTypes.BinaryType)) {
                column = functions.hex(column);
            } else if (!type.sameType(DataTypes.StringType)) {
                column = column.cast(DataTypes.StringType);
            }
            text[c] = column.as(fields[c].name());
        }
        return positional.select(text);
    }

    private static String[] positionalNames(int count) {
        String[] names = new String[count];
        for (int c = 0; c < count; c++) {
            names[c] = positionalName(c);
        }
        return names;
    }

    private static String positionalName(int c) {
        return "_c" + c;
    }

    private static String csvField(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    // Token text is full of newlines and tabs; in a table cell they would break the grid.
    private static String escapeControls(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '\f' -> escaped.append("\\f");
                case '\b' -> escaped.append("\\b");
                default -> escaped.append(ch);
            }
        }
        return escaped.toString();
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String rule(int[] widths) {
        StringBuilder rule = new StringBuilder("+");
        for (int width : widths) {
            rule.append("-".repeat(width)).append('+');
        }
        return rule.toString();
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int c = 0; c < cells.length; c++) {
            line.append(cells[c]).append(" ".repeat(widths[c] - width(cells[c]))).append('|');
        }
        return line.toString();
    }
}
