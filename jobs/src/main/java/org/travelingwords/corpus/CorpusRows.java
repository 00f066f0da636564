package org.travelingwords.corpus;

import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of the single pass over the corpus: documents and rejects share one schema so that one
 * persisted Dataset holds both; a row is a reject exactly when its {@code reason} is not null.
 */
final class CorpusRows {

    static final String DOC_ID = "doc_id";
    static final String SOURCE = "source";
    static final String LOCATION = "location";
    static final String TEXT = "text";
    static final String REASON = "reason";
    static final String SNIPPET = "snippet";

    /** doc_id, source, location, text (documents) then reason, snippet (rejects). */
    static final StructType SCHEMA = new StructType()
            .add(DOC_ID, StringType, true)
            .add(SOURCE, StringType, false)
            .add(LOCATION, StringType, false)
            .add(TEXT, StringType, true)
            .add(REASON, StringType, true)
            .add(SNIPPET, StringType, true);

    static final Column IS_REJECT = functions.col(REASON).isNotNull();

    private CorpusRows() {}

    static Row document(String docId, String source, String location, String text) {
        return RowFactory.create(docId, source, location, text, null, null);
    }

    static Row reject(String source, String location, String reason, String snippet) {
        return RowFactory.create(null, source, location, null, reason, snippet);
    }
}
