package org.travelingwords.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.travelingwords.corpus.Corpus;
import org.travelingwords.corpus.CorpusFile;

/** The {@code corpus_files} rows: each input file with its format, size, documents and rejects. */
final class CorpusFilesTable {

    private static final StructType COLUMNS = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("format", DataTypes.StringType, false)
            .add("bytes", DataTypes.LongType, false)
            .add("documents", DataTypes.LongType, false)
            .add("rejects", DataTypes.LongType, false);

    private CorpusFilesTable() {}

    static Dataset<Row> of(SparkSession spark, Corpus corpus) {
        Map<String, Long> documents = countsBySource(corpus.documents());
        Map<String, Long> rejects = countsBySource(corpus.rejects());
        List<Row> rows = new ArrayList<>();
        for (CorpusFile file : corpus.inputs()) {
            rows.add(RowFactory.create(file.path(), file.format().id(), file.bytes(),
                    documents.getOrDefault(file.path(), 0L), rejects.getOrDefault(file.path(), 0L)));
        }
        return spark.createDataFrame(rows, COLUMNS);
    }

    private static Map<String, Long> countsBySource(Dataset<Row> rows) {
        Map<String, Long> counts = new HashMap<>();
        for (Row r : rows.groupBy("source").count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }
}
