package org.travelingwords.corpus;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A corpus as read by {@link CorpusReader}: its documents and its rejects, both views of one persisted
 * pass over the files (the files are read once, by whichever of the two is computed first).
 *
 * <p>Every input record is in exactly one of the two, with its {@code source} (the fully qualified
 * file path) and {@code location} ({@code line N}, 1-based in the decompressed file, for lines and
 * jsonl; {@code file} for text; {@code row N}, 0-based, for parquet).
 */
public final class Corpus {

    private final Dataset<Row> records;
    private final Dataset<Row> documents;
    private final Dataset<Row> rejects;
    private final List<CorpusFile> inputs;

    Corpus(Dataset<Row> records, List<CorpusFile> inputs) {
        this.records = records;
        this.documents = records.filter(not(CorpusRows.IS_REJECT))
                .select(col(CorpusRows.DOC_ID), col(CorpusRows.SOURCE), col(CorpusRows.LOCATION), col(CorpusRows.TEXT));
        this.rejects = records.filter(CorpusRows.IS_REJECT)
                .select(col(CorpusRows.SOURCE), col(CorpusRows.LOCATION), col(CorpusRows.REASON), col(CorpusRows.SNIPPET));
        this.inputs = List.copyOf(inputs);
    }

    /** {@code doc_id, source, location, text}, all strings; doc_id is stable across runs (see {@link DocIds}). */
    public Dataset<Row> documents() {
        return documents;
    }

    /** {@code source, location, reason, snippet}, all strings; reason codes in {@link RejectReasons}. */
    public Dataset<Row> rejects() {
        return rejects;
    }

    /** The fully qualified paths of the files read, in listing order. */
    public List<String> files() {
        return inputs.stream().map(CorpusFile::path).toList();
    }

    /** The files read with the format chosen for each and its size (for the {@code corpus_files} table). */
    public List<CorpusFile> inputs() {
        return inputs;
    }

    /**
     * One row per file read: {@code path, format} (strings), {@code bytes, documents, rejects} (bigint),
     * the counts taken from the persisted pass (DESIGN §7, table {@code corpus_files}).
     */
    public Dataset<Row> fileSummary() {
        StructType schema = new StructType()
                .add("path", DataTypes.StringType, false)
                .add("format", DataTypes.StringType, false)
                .add("bytes", DataTypes.LongType, false);
        List<Row> rows = inputs.stream()
                .map(file -> RowFactory.create(file.path(), file.format().id(), file.bytes()))
                .toList();
        Dataset<Row> files = records.sparkSession().createDataFrame(rows, schema);
        Dataset<Row> counts = records.groupBy(col(CorpusRows.SOURCE).as("counted_path")).agg(
                count(when(not(CorpusRows.IS_REJECT), lit(1))).as("documents"),
                count(when(CorpusRows.IS_REJECT, lit(1))).as("rejects"));
        return files.join(counts, files.col("path").equalTo(counts.col("counted_path")), "left")
                .select(files.col("path"), files.col("format"), files.col("bytes"),
                        coalesce(counts.col("documents"), lit(0L)).as("documents"),
                        coalesce(counts.col("rejects"), lit(0L)).as("rejects"));
    }

    /** Frees the persisted pass; documents and rejects computed afterwards read the files again. */
    public void unpersist() {
        records.unpersist();
    }
}
