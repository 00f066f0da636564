package org.travelingwords.pass;

import java.util.List;
import org.apache.spark.sql.Row;
import org.travelingwords.model.TokenBatch;

/** A batch and where its rows came from, for the per-token outputs that name documents. */
public record BatchRows(TokenBatch batch, String[] docIds, int[] windowIdx) {

    /** The batch of these assigned windows ({@link WindowColumns#ASSIGNED}), right-padded, in their order. */
    public static BatchRows of(List<Row> windows) {
        int[][] tokens = new int[windows.size()][];
        String[] docIds = new String[windows.size()];
        int[] windowIdx = new int[windows.size()];
        for (int i = 0; i < tokens.length; i++) {
            Row row = windows.get(i);
            List<Integer> ids = row.getList(row.fieldIndex(WindowColumns.TOKENS));
            tokens[i] = ids.stream().mapToInt(Integer::intValue).toArray();
            docIds[i] = row.getString(row.fieldIndex(WindowColumns.DOC_ID));
            windowIdx[i] = row.getInt(row.fieldIndex(WindowColumns.WINDOW_IDX));
        }
        return new BatchRows(TokenBatch.of(tokens), docIds, windowIdx);
    }
}
