package org.travelingwords.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Synthetic rows for any table, so tests exercise every schema without a model. */
final class TestRows {

    static final String MODEL = "demo@0123abcd";

    private TestRows() {}

    /** {@code n} rows of the table's data schema; run_id is {@code runId}, other columns vary with the row index. */
    static Dataset<Row> of(SparkSession spark, String table, String runId, int n) {
        StructType schema = TableSchemas.dataSchema(table);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object[] values = new Object[schema.fields().length];
            for (int c = 0; c < values.length; c++) {
                values[c] = value(schema.fields()[c], runId, i);
            }
            rows.add(RowFactory.create(values));
        }
        return spark.createDataFrame(rows, schema);
    }

    private static Object value(StructField field, String runId, int i) {
        DataType type = field.dataType();
        if (field.name().equals("run_id")) {
            return runId;
        }
        if (field.name().equals("model_id")) {
            return MODEL;
        }
        if (type.sameType(DataTypes.StringType)) {
            return field.name() + "-" + i;
        }
        if (type.sameType(DataTypes.IntegerType)) {
            return i;
        }
        if (type.sameType(DataTypes.LongType)) {
            return (long) i * 10;
        }
        if (type.sameType(DataTypes.DoubleType)) {
            return i == 1 ? null : i + 0.5;   // a null in every double column: they are nullable
        }
        if (type.sameType(DataTypes.BinaryType)) {
            return new byte[] {1, 2, (byte) i};
        }
        if (type.sameType(DataTypes.TimestampType)) {
            return java.sql.Timestamp.from(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i));
        }
        if (type instanceof org.apache.spark.sql.types.ArrayType array) {   // two elements of the element type
            StructField element = DataTypes.createStructField(field.name(), array.elementType(), true);
            return java.util.Arrays.asList(value(element, runId, i), value(element, runId, i + 1));
        }
        throw new IllegalArgumentException("no test value for " + field);
    }

    /** A ledger row for the run. */
    static RunRecord run(String runId, String runDate, String status, Instant finishedAt) {
        RunRecord ok = new RunRecord(runId, runDate, MODEL, List.of("/corpus/a.txt", "/corpus/b.jsonl"),
                10, 9, 1, 20, 2, 5000, 0.125, 12.5, 400.0, 2, List.of("0@127.0.0.1:100", "1@127.0.0.1:101"), RunRecord.SUCCEEDED, null, "{\"k\":1}", null, null,
                "local-123", "test", finishedAt.minusSeconds(60), finishedAt);
        return RunRecord.SUCCEEDED.equals(status) ? ok : ok.failed("boom: simulated failure", finishedAt);
    }

    /** Commits a run straight through the store, as {@link RunLifecycle} would: its tables unless it failed, then its row. */
    static void commit(TableStore store, RunRecord run, Map<String, Dataset<Row>> tables) {
        if (run.succeeded()) {
            tables.forEach((table, rows) -> store.commit(table, rows, run.runId(), run.runDate(), MODEL, 0));
        }
        store.appendRun(run, 0);
    }
}
