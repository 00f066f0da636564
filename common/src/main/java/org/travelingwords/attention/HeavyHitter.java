package org.travelingwords.attention;

/**
 * An item of a frequent-items sketch with its estimated weight and the bounds that hold for it
 * whatever the sketch dropped: lowerBound ≤ true weight ≤ upperBound.
 */
public record HeavyHitter(long item, long estimate, long lowerBound, long upperBound) {}
