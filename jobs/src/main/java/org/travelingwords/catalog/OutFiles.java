package org.travelingwords.catalog;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Files a run leaves beside its tables (a text report, figures), under {@code <out>/<folder>/<run_id>/},
 * on whatever Hadoop file system holds the out folder. The folders hold no {@code run_date=}
 * partitions, so the catalog never takes them for tables.
 */
public final class OutFiles {

    /** The trajectory figures' folder, one subfolder per run; the report reads them from there. */
    public static final String TRAJECTORY_PLOTS = "trajectory-plots";

    private OutFiles() {}

    /** The file name of phrase {@code index}'s figure in its run's {@link #TRAJECTORY_PLOTS} folder. */
    public static String trajectoryPlot(int index) {
        return String.format(java.util.Locale.ROOT, "phrase-%02d.png", index);
    }

    /** Writes {@code bytes} to {@code <root>/<folder>/<runId>/<name>} and returns its full path. */
    public static String write(SparkSession spark, String root, String folder, String runId, String name, byte[] bytes)
            throws IOException {
        Path path = new Path(new Path(new Path(root, folder), runId), name);
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (OutputStream stream = fs.create(path, true)) {
            stream.write(bytes);
        }
        return path.toString();
    }
}
