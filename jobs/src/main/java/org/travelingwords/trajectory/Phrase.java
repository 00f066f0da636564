package org.travelingwords.trajectory;

import java.io.Serializable;

/** One {@code --text} of {@code tw trajectory}: its index on the command line, the text and its GPT-2 tokens. */
public record Phrase(int index, String text, int[] tokens) implements Serializable {}
