package org.travelingwords.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Refuses rows that do not match a table's data schema, so a wrong column never reaches a table.
 *
 * <p>Names and types must match exactly; the column order may differ (the result is put in the
 * table's order). Nullability is not compared: Parquet written by Spark is all-nullable anyway.
 */
final class SchemaCheck {

    private SchemaCheck() {}

    /** The rows with the table's columns in the table's order; IllegalArgumentException listing every mismatch. */
    static Dataset<Row> conform(String table, Dataset<Row> rows) {
        StructType expected = TableSchemas.dataSchema(table);
        Map<String, DataType> actual = new LinkedHashMap<>();
        for (StructField field : rows.schema().fields()) {
            actual.put(field.name(), field.dataType());
        }
        List<String> problems = new ArrayList<>();
        List<Column> ordered = new ArrayList<>();
        for (StructField field : expected.fields()) {
            DataType type = actual.remove(field.name());
            if (type == null) {
                problems.add("missing " + field.name() + " " + field.dataType().simpleString());
            } else if (!type.sameType(field.dataType())) {
                problems.add(field.name() + " is " + type.simpleString() + ", expected " + field.dataType().simpleString());
            }
            ordered.add(functions.col(quoted(field.name())));
        }
        for (Map.Entry<String, DataType> extra : actual.entrySet()) {
            problems.add("unexpected " + extra.getKey() + " " + extra.getValue().simpleString());
        }
        if (rows.schema().fields().length != expected.fields().length + actual.size() && problems.isEmpty()) {
            problems.add("duplicate column names in " + rows.schema().simpleString());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("rows for table " + table + " do not match its schema: "
                    + String.join("; ", problems));
        }
        return rows.select(ordered.toArray(Column[]::new));
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
