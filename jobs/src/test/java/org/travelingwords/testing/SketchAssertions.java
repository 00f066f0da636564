package org.travelingwords.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.travelingwords.stats.MetricSummary;

/** Quantiles that a KLL sketch gives only within its rank error, checked against another run's sketch. */
public final class SketchAssertions {

    private SketchAssertions() {}

    /** {@code value} is the {@code rank} quantile of the serialized sketch, within twice its rank error. */
    public static void assertWithinRank(byte[] sketchBytes, double rank, double value, String what) {
        KllFloatsSketch sketch = KllFloatsSketch.heapify(Memory.wrap(sketchBytes));
        double slack = 2 * MetricSummary.rankError();
        double below = sketch.getRank((float) value, QuantileSearchCriteria.EXCLUSIVE);
        double upTo = sketch.getRank((float) value, QuantileSearchCriteria.INCLUSIVE);
        assertTrue(below - slack <= rank && rank <= upTo + slack, what + ": rank in [" + below + ", " + upTo + "]");
    }
}
