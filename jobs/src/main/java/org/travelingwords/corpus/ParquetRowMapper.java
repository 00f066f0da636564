package org.travelingwords.corpus;

import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/** Turns (text, id, file path, row index) rows of parquet files into document and reject rows. */
final class ParquetRowMapper implements FlatMapFunction<Iterator<Row>, Row> {

    static final String TEXT = "text";
    static final String ID = "id";
    static final String FILE_PATH = "file_path";
    static final String ROW_INDEX = "row_index";

    private final DocumentRules rules;
    private final String textField;
    /** A file's Hadoop path string → the path as listed, the documents' source. */
    private final Map<String, String> sources;

    ParquetRowMapper(CorpusOptions options, Map<String, String> sources) {
        this.rules = new DocumentRules(options.maxDocChars());
        this.textField = options.textField();
        this.sources = sources;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return toRecord(rows.next());
            }
        };
    }

    private Row toRecord(Row row) {
        String hadoopPath = fromSparkFilePath(row.getString(2));
        String source = sources.getOrDefault(hadoopPath, hadoopPath);
        String location = "row " + row.getLong(3);
        if (row.isNullAt(0)) {
            return CorpusRows.reject(source, location, RejectReasons.missingTextField(textField), "");
        }
        String text = row.getString(0);
        String reason = rules.rejectReason(text);
        if (reason != null) {
            return CorpusRows.reject(source, location, reason, Snippets.escape(text));
        }
        String givenId = row.isNullAt(1) ? null : row.getString(1);
        return CorpusRows.document(DocumentRules.docId(source, location, givenId), source, location, text);
    }

    /**
     * Spark's {@code _metadata.file_path} is a URI string ({@code file:///a%20b/x.parquet}); as a Hadoop
     * path string ({@code file:/a b/x.parquet}) it matches the listing.
     */
    static String fromSparkFilePath(String uri) {
        try {
            return new Path(URI.create(uri)).toString();
        } catch (IllegalArgumentException notAUri) {
            return new Path(uri).toString();
        }
    }
}
