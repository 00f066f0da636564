package org.travelingwords.geometry;

/** Receives each (layer, site)'s per-token metrics as a batch's forward produces them. */
@FunctionalInterface
public interface SphereSink {
    void accept(SiteMetrics metrics);
}
