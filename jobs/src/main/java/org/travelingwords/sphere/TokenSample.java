package org.travelingwords.sphere;

import java.io.Serializable;

/** One sampled token at one (layer, site), with every §4 metric (NaN where undefined). */
public record TokenSample(String docId, int windowIdx, int position, int tokenId, int layer, String site,
                          float[] metrics) implements Serializable {}
