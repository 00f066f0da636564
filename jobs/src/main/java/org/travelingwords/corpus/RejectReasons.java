package org.travelingwords.corpus;

/**
 * The {@code reason} texts of rejects. Each starts with a stable code (lower snake case), then a
 * detail for people:
 * <ul>
 *   <li>{@code invalid_utf8 (byte N)}: not UTF-8; N is the 0-based offset of the first bad byte in the record</li>
 *   <li>{@code invalid_json (…)}: a jsonl line that is not JSON, or JSON that is not an object</li>
 *   <li>{@code missing_text_field (name)}: the field or column is absent or null</li>
 *   <li>{@code non_string_text_field (name is a number|boolean|object|array)}</li>
 *   <li>{@code empty_document}: empty or whitespace only, blank lines included</li>
 *   <li>{@code too_long (N chars > M)}, or {@code too_long (N bytes > L-byte limit)} for a record too big to
 *       decode at all (see {@link DocumentRules#maxTextBytes})</li>
 *   <li>{@code unreadable_file: message}: the file (or the rest of it, from the reject's location on) could not
 *       be read; location {@code folder} when a folder could not be listed</li>
 * </ul>
 */
public final class RejectReasons {

    public static final String INVALID_UTF8 = "invalid_utf8";
    public static final String INVALID_JSON = "invalid_json";
    public static final String MISSING_TEXT_FIELD = "missing_text_field";
    public static final String NON_STRING_TEXT_FIELD = "non_string_text_field";
    public static final String EMPTY_DOCUMENT = "empty_document";
    public static final String TOO_LONG = "too_long";
    public static final String UNREADABLE_FILE = "unreadable_file";

    private RejectReasons() {}

    static String invalidUtf8(int byteOffset) {
        return INVALID_UTF8 + " (byte " + byteOffset + ")";
    }

    static String invalidJson(String detail) {
        return INVALID_JSON + " (" + detail + ")";
    }

    static String missingTextField(String field) {
        return MISSING_TEXT_FIELD + " (" + field + ")";
    }

    static String nonStringTextField(String field, String actualType) {
        return NON_STRING_TEXT_FIELD + " (" + field + " is " + actualType + ")";
    }

    static String emptyDocument() {
        return EMPTY_DOCUMENT;
    }

    static String tooLong(int chars, int maxChars) {
        return TOO_LONG + " (" + chars + " chars > " + maxChars + ")";
    }

    static String tooLongBytes(long bytes, long byteLimit) {
        return TOO_LONG + " (" + bytes + " bytes > " + byteLimit + "-byte limit)";
    }

    static String unreadableFile(Throwable error) {
        String message = error.getMessage();
        return UNREADABLE_FILE + ": " + (message == null || message.isBlank()
                ? error.getClass().getName() : error.getClass().getSimpleName() + ": " + message);
    }

    /** The code of a reason text: {@code "too_long (5 chars > 3)"} → {@code "too_long"}. */
    public static String codeOf(String reason) {
        int end = 0;
        while (end < reason.length() && (Character.isLowerCase(reason.charAt(end)) || reason.charAt(end) == '_'
                || Character.isDigit(reason.charAt(end)))) {
            end++;
        }
        return reason.substring(0, end);
    }
}
