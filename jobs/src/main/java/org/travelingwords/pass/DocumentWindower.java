package org.travelingwords.pass;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.travelingwords.text.Gpt2Tokenizer;
import org.travelingwords.text.Windows;

/**
 * Tokenizes documents (GPT-2 BPE) and cuts them into windows. A window too short to use is
 * kept as a row with its length and no tokens, so that it is counted, then filtered out.
 */
public final class DocumentWindower implements MapPartitionsFunction<Row, Row> {

    private final int blockSize;
    private final int stride;
    private final boolean prependEos;

    public DocumentWindower(int blockSize, int stride, boolean prependEos) {
        this.blockSize = blockSize;
        this.stride = stride;
        this.prependEos = prependEos;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> documents) {
        Gpt2Tokenizer tokenizer = Gpt2Tokenizer.get();
        return new Iterator<>() {
            private final List<Row> pending = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                while (next == pending.size() && documents.hasNext()) {
                    pending.clear();
                    next = 0;
                    Row doc = documents.next();
                    String docId = doc.getString(doc.fieldIndex("doc_id"));
                    Windows windows = Windows.cut(tokenizer.encode(doc.getString(doc.fieldIndex("text"))),
                            blockSize, stride, prependEos);
                    int idx = 0;
                    for (int[] window : windows.windows()) {
                        pending.add(RowFactory.create(docId, idx++, window.length, boxed(window)));
                    }
                    for (int s = 0; s < windows.skipped(); s++) {
                        pending.add(RowFactory.create(docId, -1 - s, 1, new Integer[0]));
                    }
                }
                return next < pending.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return pending.get(next++);
            }
        };
    }

    private static Integer[] boxed(int[] tokens) {
        Integer[] out = new Integer[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = tokens[i];
        }
        return out;
    }
}
