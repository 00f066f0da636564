package org.travelingwords.sphere;

import static org.apache.spark.sql.functions.col;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.functions;
import org.travelingwords.exec.WindowBatcher;

/**
 * The windows of a run and their batch assignment: counts per length bucket (one small
 * aggregation), then each window's (bucket, group), then a repartition that keeps every group
 * whole inside one partition, sorted for the batch assembler.
 */
public final class WindowPlan {

    private final Dataset<Row> usable;
    private final WindowBatcher batcher;
    private final long windows;
    private final long tokens;

    private WindowPlan(Dataset<Row> usable, WindowBatcher batcher, long windows, long tokens) {
        this.usable = usable;
        this.batcher = batcher;
        this.windows = windows;
        this.tokens = tokens;
    }

    public static WindowPlan of(Dataset<Row> usableWindows, int blockSize, int batchTokens) {
        int quantum = WindowBatcher.quantumFor(blockSize);
        List<Row> buckets = usableWindows
                .withColumn("b", functions.expr("CAST(CEIL(length / " + quantum + ") * " + quantum + " AS INT)"))
                .groupBy("b").agg(functions.count("*").as("n"), functions.sum("length").as("tokens"))
                .collectAsList();
        Map<Integer, Integer> groups = new HashMap<>();
        long windows = 0;
        long tokens = 0;
        for (Row r : buckets) {
            int bucket = r.getInt(0);
            groups.put(bucket, WindowBatcher.groupsFor(r.getLong(1), bucket, batchTokens));
            windows += r.getLong(1);
            tokens += r.getLong(2);
        }
        return new WindowPlan(usableWindows, new WindowBatcher(quantum, batchTokens, groups), windows, tokens);
    }

    public WindowBatcher batcher() {
        return batcher;
    }

    public long windows() {
        return windows;
    }

    public long tokens() {
        return tokens;
    }

    /** Windows with (bucket, group), each group in one partition, sorted as the runner reads them. */
    public Dataset<Row> assigned(int partitions) {
        WindowBatcher b = batcher;
        MapFunction<Row, Row> assign = row -> {
            int length = row.getInt(2);
            int bucket = b.bucket(length);
            return RowFactory.create(row.get(0), row.get(1), length, row.get(3), bucket,
                    b.group(bucket, row.getString(0), row.getInt(1)));
        };
        return usable.map(assign, Encoders.row(WindowColumns.ASSIGNED))
                .repartition(partitions, col(WindowColumns.BUCKET), col(WindowColumns.GROUP))
                .sortWithinPartitions(WindowColumns.BUCKET, WindowColumns.GROUP, WindowColumns.DOC_ID,
                        WindowColumns.WINDOW_IDX);
    }
}
