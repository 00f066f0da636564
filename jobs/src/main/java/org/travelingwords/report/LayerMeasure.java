package org.travelingwords.report;

/** A per-layer quantity that sections compare between runs or nights: a sphere metric at one site. */
record LayerMeasure(String label, String metric, String site) {}
