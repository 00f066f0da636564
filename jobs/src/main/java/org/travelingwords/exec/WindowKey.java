package org.travelingwords.exec;

import java.io.Serializable;
import java.util.Comparator;

/** A window's place in the model stage: its batch group, then its identity, in the order batches are cut. */
public record WindowKey(int bucket, int group, String docId, int windowIdx) implements Comparable<WindowKey>, Serializable {

    private static final Comparator<WindowKey> ORDER = Comparator.comparingInt(WindowKey::bucket)
            .thenComparingInt(WindowKey::group).thenComparing(WindowKey::docId).thenComparingInt(WindowKey::windowIdx);

    @Override
    public int compareTo(WindowKey other) {
        return ORDER.compare(this, other);
    }
}
