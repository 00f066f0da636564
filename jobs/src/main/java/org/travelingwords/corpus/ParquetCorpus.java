package org.travelingwords.corpus;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet files, read with Spark's own reader (column pruning, vectorized decoding, split row groups).
 * Each file's footer is checked on the driver first, so that one corrupt file becomes a reject
 * instead of failing the job. A text column that is missing from every file, or is not a string, is
 * a mistake in the options and fails at once; a null value is a {@code missing_text_field} reject.
 */
final class ParquetCorpus {

    /** The files whose footers could be read, and a reject for each one that could not. */
    record FooterCheck(List<CorpusFile> readable, List<Row> rejects) {}

    private ParquetCorpus() {}

    static FooterCheck checkFooters(List<CorpusFile> files, Configuration conf) {
        List<CorpusFile> readable = new ArrayList<>();
        List<Row> rejects = new ArrayList<>();
        for (CorpusFile file : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.path()), conf))) {
                reader.getFooter();
                readable.add(file);
            } catch (IOException | RuntimeException e) {
                rejects.add(CorpusRows.reject(file.path(), "file", RejectReasons.unreadableFile(e), ""));
            }
        }
        return new FooterCheck(readable, rejects);
    }

    /** Document and reject rows of readable parquet files; location {@code row N}, N the 0-based row in the file. */
    static JavaRDD<Row> read(SparkSession spark, List<CorpusFile> files, CorpusOptions options) {
        String[] paths = files.stream().map(file -> escapeGlob(file.path())).toArray(String[]::new);
        // mergeSchema: the text column may be missing from some files (their rows become rejects), not from all.
        Dataset<Row> table = spark.read().option("mergeSchema", "true").parquet(paths);
        StructField text = field(table.schema(), options.textField(), "text");
        if (!text.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("parquet text column '" + text.name() + "' is "
                    + text.dataType().simpleString() + ", not string"
                    + (text.dataType().equals(DataTypes.BinaryType)
                            ? " (for UTF-8 stored without a string annotation, set spark.sql.parquet.binaryAsString=true)"
                            : ""));
        }
        Column id = options.idField() == null ? lit(null).cast(DataTypes.StringType)
                : column(field(table.schema(), options.idField(), "id")).cast(DataTypes.StringType);
        Dataset<Row> selected = table.select(
                column(text).as(ParquetRowMapper.TEXT),
                id.as(ParquetRowMapper.ID),
                col("_metadata.file_path").as(ParquetRowMapper.FILE_PATH),
                col("_metadata.row_index").as(ParquetRowMapper.ROW_INDEX));
        Map<String, String> sources = new HashMap<>();
        for (CorpusFile file : files) {
            sources.put(new Path(file.path()).toString(), file.path());
        }
        return selected.javaRDD().mapPartitions(new ParquetRowMapper(options, sources));
    }

    private static StructField field(StructType schema, String name, String role) {
        return Arrays.stream(schema.fields())
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("parquet " + role + " column '" + name
                        + "' is in none of the files; columns: "
                        + Arrays.stream(schema.fieldNames()).collect(Collectors.joining(", "))));
    }

    /** A top-level column by its exact name, dots and all. */
    private static Column column(StructField field) {
        return col("`" + field.name().replace("`", "``") + "`");
    }

    /** Spark globs the paths it is given; a file named {@code a[1].parquet} must be taken literally. */
    private static String escapeGlob(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if ("{}[]*?\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
