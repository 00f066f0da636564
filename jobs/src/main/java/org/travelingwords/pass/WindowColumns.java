package org.travelingwords.pass;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The job's intermediate windows dataset: one row per model window of a document. */
public final class WindowColumns {

    public static final String DOC_ID = "doc_id";
    public static final String WINDOW_IDX = "window_idx";
    public static final String LENGTH = "length";
    public static final String BUCKET = "bucket";
    public static final String GROUP = "grp";
    public static final String TOKENS = "tokens";

    /** Windows as tokenization produces them (no batch assignment yet). */
    public static final StructType WINDOWS = new StructType()
            .add(DOC_ID, DataTypes.StringType, false)
            .add(WINDOW_IDX, DataTypes.IntegerType, false)
            .add(LENGTH, DataTypes.IntegerType, false)
            .add(TOKENS, DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    /** Windows with their length bucket and batch group. */
    public static final StructType ASSIGNED = WINDOWS
            .add(BUCKET, DataTypes.IntegerType, false)
            .add(GROUP, DataTypes.IntegerType, false);

    private WindowColumns() {}
}
