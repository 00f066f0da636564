package org.travelingwords.corpus;

import java.io.Serializable;

/**
 * The checks every decoded document passes whatever its format (not empty, not too long), the
 * choice of its id, and the memory bounds that follow from the length limit.
 */
final class DocumentRules implements Serializable {

    private final int maxDocChars;

    DocumentRules(int maxDocChars) {
        this.maxDocChars = maxDocChars;
    }

    /** Why this decoded text is not a document (empty, too long), or null when it is one. */
    String rejectReason(String text) {
        if (text.isBlank()) {
            return RejectReasons.emptyDocument();
        }
        if (text.length() > maxDocChars) {
            return RejectReasons.tooLong(text.length(), maxDocChars);
        }
        return null;
    }

    /** The id from the data when there is one (not null or empty), else the stable hash of where the text was found. */
    static String docId(String source, String location, String givenId) {
        return givenId == null || givenId.isEmpty() ? DocIds.of(source, location) : givenId;
    }

    /**
     * The most bytes worth decoding for a document: valid UTF-8 has at least one UTF-16 char per three
     * bytes, so a record over {@code 3 × maxDocChars} bytes is too long without decoding it.
     */
    int maxTextBytes() {
        return (int) Math.min(3L * maxDocChars, Integer.MAX_VALUE - 64);
    }

    /**
     * The most bytes worth parsing for a jsonl line: a JSON escape ({@code \u00e9}) spends up to six
     * bytes on a char, and other fields come along, hence the slack.
     */
    int maxJsonLineBytes() {
        return (int) Math.min(6L * maxDocChars + (1 << 20), Integer.MAX_VALUE - 64);
    }

    int maxDocChars() {
        return maxDocChars;
    }
}
