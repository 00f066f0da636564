package org.travelingwords.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.TableStore;

/**
 * Writes {@code <out>/report/index.html}: one self-contained page about one run of an out folder
 * (local or any Hadoop file system), for {@code tw report} and the end of {@code tw run}.
 *
 * <pre>{@code
 * String page = new ReportWriter(spark, "tw-out").write(null, null);   // the newest succeeded run
 * }</pre>
 */
public final class ReportWriter {

    public static final String FOLDER = "report";
    public static final String PAGE = "index.html";

    private static final List<ReportSection> SECTIONS = List.of(
            new RunSection(),
            new NightsSection(),
            new SphereSection(),
            new HeadsSection(),
            new ProbesSection(),
            new TrajectoriesSection(),
            new ComparisonSection());

    private final SparkSession spark;
    private final TableStore store;

    public ReportWriter(SparkSession spark, String outRoot) throws IOException {
        this.spark = spark;
        this.store = new TableStore(spark, outRoot);
    }

    /**
     * Writes the report of {@code runId} (null: the newest succeeded run), compared with
     * {@code compareRunId} when not null, and returns where the page is: a local path for a local
     * out folder, else its URI.
     */
    public String write(String runId, String compareRunId) throws IOException {
        // Charts are drawn off screen; without this, AWT looks for a display that servers do not have.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Ledger ledger = new Ledger(store);
        Row run = runId == null ? ledger.newestSucceeded() : ledger.run(runId);
        Row compared = compareRunId == null ? null : ledger.run(compareRunId);
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        String html = new ReportPage(new ReportContext(hadoopConf, store, run, compared), SECTIONS).html();

        Path page = new Path(new Path(store.root(), FOLDER), PAGE);
        FileSystem fs = page.getFileSystem(hadoopConf);
        try (OutputStream out = fs.create(page, true)) {
            out.write(html.getBytes(StandardCharsets.UTF_8));
        }
        return "file".equals(page.toUri().getScheme()) ? page.toUri().getPath() : page.toString();
    }
}
