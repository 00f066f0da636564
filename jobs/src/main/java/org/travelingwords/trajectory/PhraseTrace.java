package org.travelingwords.trajectory;

import java.io.Serializable;
import java.util.List;
import org.travelingwords.probes.WordTrajectory;

/** A phrase with its trajectory points, position-major (every stage of token 0, then of token 1, …). */
public record PhraseTrace(Phrase phrase, List<WordTrajectory.Point> points) implements Serializable {}
