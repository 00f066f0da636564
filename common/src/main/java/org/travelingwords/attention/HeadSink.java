package org.travelingwords.attention;

/** Receives each layer's head outputs as a batch's forward produces them. */
@FunctionalInterface
public interface HeadSink {
    void accept(HeadLayer layer);
}
