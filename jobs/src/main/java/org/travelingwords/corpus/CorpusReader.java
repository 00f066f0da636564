package org.travelingwords.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the corpus of a Spark job (DESIGN §1): lists the files on the driver ({@link CorpusLister}),
 * reads text, lines and jsonl files in tasks of about equal size ({@link FileGroups}) and parquet files
 * with Spark's reader ({@link ParquetCorpus}), and persists the result once.
 *
 * <p>Formats, unless {@code format} forces one: by the extension under the compression suffix,
 * {@code .jsonl/.json/.ndjson} → jsonl, {@code .parquet} → parquet, {@code .txt/.text/.md} → text (one
 * document per file), anything else → lines ({@link CorpusFormat}). Compression by suffix: {@code .gz},
 * {@code .bz2}, {@code .zst} and Hadoop's other codecs ({@link Decompression}).
 *
 * <p>Bad input never fails the job and is never dropped silently: every record that is not a
 * document is a reject with a reason ({@link RejectReasons}). Mistakes in the options do fail, at
 * once: a path that matches nothing, an unknown format, a parquet text column that does not exist
 * or is not a string ({@link IllegalArgumentException}).
 */
public final class CorpusReader {

    private static final Logger LOG = LoggerFactory.getLogger(CorpusReader.class);

    /** Files per task are balanced to about this many (compressed) bytes when there is a lot to read. */
    private static final long TARGET_TASK_BYTES = 128L << 20;
    /** With few bytes, still give every core a few tasks. */
    private static final int TASKS_PER_CORE = 4;

    private final SparkSession spark;
    private final CorpusOptions options;

    public CorpusReader(SparkSession spark, CorpusOptions options) {
        this.spark = spark;
        this.options = options;
    }

    /**
     * Checks, before any Spark work, that each of {@code paths} matches something (the full listing, with
     * its rules for folders and hidden files, happens in {@link #read()}).
     */
    public static void checkPaths(Configuration conf, List<String> paths) throws IOException {
        for (String path : paths) {
            CorpusLister.matches(conf, path);
        }
    }

    /** The files the corpus arguments name now, fully qualified, in the order {@link #read()} takes them. */
    public List<String> files() {
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        return new CorpusLister(hadoopConf, options.forcedFormat()).list(options.paths()).files().stream()
                .map(CorpusFile::path).toList();
    }

    /** Lists the files now; the files are read when documents or rejects are first computed. */
    public Corpus read() {
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        CorpusLister.Listing listing = new CorpusLister(hadoopConf, options.forcedFormat()).list(options.paths());
        List<CorpusFile> files = listing.files();
        logChoice(files);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<JavaRDD<Row>> parts = new ArrayList<>();
        List<Row> driverRejects = new ArrayList<>(listing.rejects());

        List<CorpusFile> streamed = files.stream().filter(f -> f.format() != CorpusFormat.PARQUET).toList();
        if (!streamed.isEmpty()) {
            List<List<CorpusFile>> groups = FileGroups.balance(streamed, taskCount(streamed));
            Broadcast<SerializableHadoopConf> conf = jsc.broadcast(new SerializableHadoopConf(new Configuration(hadoopConf)));
            // One group per partition: parallelize cuts a list of n elements into n slices of one.
            parts.add(jsc.parallelize(groups, groups.size()).flatMap(new FileGroupReader(conf, options)));
        }

        List<CorpusFile> parquet = files.stream().filter(f -> f.format() == CorpusFormat.PARQUET).toList();
        if (!parquet.isEmpty()) {
            ParquetCorpus.FooterCheck check = ParquetCorpus.checkFooters(parquet, hadoopConf);
            check.rejects().forEach(reject -> LOG.warn("unreadable parquet file {}: {}",
                    reject.getString(1), reject.getString(4)));
            driverRejects.addAll(check.rejects());
            if (!check.readable().isEmpty()) {
                parts.add(ParquetCorpus.read(spark, check.readable(), options));
            }
        }

        if (!driverRejects.isEmpty()) {
            parts.add(jsc.parallelize(driverRejects, 1));
        }
        Dataset<Row> records = spark.createDataFrame(union(jsc, parts), CorpusRows.SCHEMA)
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new Corpus(records, files);
    }

    private int taskCount(List<CorpusFile> files) {
        long bytes = files.stream().mapToLong(CorpusFile::bytes).sum();
        long bySize = (bytes + TARGET_TASK_BYTES - 1) / TARGET_TASK_BYTES;
        long byCores = (long) TASKS_PER_CORE * spark.sparkContext().defaultParallelism();
        return (int) Math.min(files.size(), Math.max(bySize, byCores));
    }

    @SuppressWarnings("unchecked")
    private static JavaRDD<Row> union(JavaSparkContext jsc, List<JavaRDD<Row>> parts) {
        return parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(new JavaRDD[0]));
    }

    private void logChoice(List<CorpusFile> files) {
        Map<CorpusFormat, Long> byFormat = new EnumMap<>(CorpusFormat.class);
        files.forEach(file -> byFormat.merge(file.format(), 1L, Long::sum));
        long bytes = files.stream().mapToLong(CorpusFile::bytes).sum();
        LOG.info("corpus: {} files, {} bytes, formats {} ({}), text field '{}', id {}, at most {} chars per document",
                files.size(), bytes,
                byFormat.entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue())
                        .collect(Collectors.joining(", ")),
                options.format() == null ? "by extension" : "forced", options.textField(),
                options.idField() == null ? "hashed" : "field '" + options.idField() + "'", options.maxDocChars());
        files.forEach(file -> LOG.debug("corpus file {} ({}, {} bytes)", file.path(), file.format().id(), file.bytes()));
    }
}
