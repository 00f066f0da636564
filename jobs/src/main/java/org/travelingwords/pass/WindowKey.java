package org.travelingwords.pass;

import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.sql.Row;

/** A window's place in the model stage: its batch group, then its identity, in the order batches are cut. */
public record WindowKey(int bucket, int group, String docId, int windowIdx) implements Comparable<WindowKey>, Serializable {

    private static final Comparator<WindowKey> ORDER = Comparator.comparingInt(WindowKey::bucket)
            .thenComparingInt(WindowKey::group).thenComparing(WindowKey::docId).thenComparingInt(WindowKey::windowIdx);

    /** A batch group: a length bucket and a group inside it. */
    public record GroupId(int bucket, int group) implements Serializable {

        /** The group of an assigned window ({@link WindowColumns#ASSIGNED}). */
        public static GroupId of(Row assigned) {
            return new GroupId(assigned.getInt(assigned.fieldIndex(WindowColumns.BUCKET)),
                    assigned.getInt(assigned.fieldIndex(WindowColumns.GROUP)));
        }
    }

    public GroupId groupId() {
        return new GroupId(bucket, group);
    }

    @Override
    public int compareTo(WindowKey other) {
        return ORDER.compare(this, other);
    }
}
