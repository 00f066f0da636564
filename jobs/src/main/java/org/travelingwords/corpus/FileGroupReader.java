package org.travelingwords.corpus;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/** The Spark task that reads one group of text, lines and jsonl files into document and reject rows. */
final class FileGroupReader implements FlatMapFunction<List<CorpusFile>, Row> {

    private final Broadcast<SerializableHadoopConf> hadoopConf;
    private final CorpusOptions options;

    FileGroupReader(Broadcast<SerializableHadoopConf> hadoopConf, CorpusOptions options) {
        this.hadoopConf = hadoopConf;
        this.options = options;
    }

    @Override
    public Iterator<Row> call(List<CorpusFile> group) {
        return new GroupIterator(group.iterator(), new Decompression(hadoopConf.value().get()),
                new RecordDecoder(options));
    }

    /** The files' records one file after the other, each file opened only when the previous is done. */
    private static final class GroupIterator implements Iterator<Row> {
        private final Iterator<CorpusFile> files;
        private final Decompression opener;
        private final RecordDecoder decoder;
        private FileRecordIterator current;

        GroupIterator(Iterator<CorpusFile> files, Decompression opener, RecordDecoder decoder) {
            this.files = files;
            this.opener = opener;
            this.decoder = decoder;
            TaskContext task = TaskContext.get();
            if (task != null) {
                // A task killed half way through a file must not leak the open stream.
                task.addTaskCompletionListener(new TaskCompletionListener() {
                    @Override
                    public void onTaskCompletion(TaskContext context) {
                        if (current != null) {
                            current.close();
                        }
                    }
                });
            }
        }

        @Override
        public boolean hasNext() {
            while (current == null || !current.hasNext()) {
                if (!files.hasNext()) {
                    return false;
                }
                current = new FileRecordIterator(files.next(), opener, decoder);
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}
