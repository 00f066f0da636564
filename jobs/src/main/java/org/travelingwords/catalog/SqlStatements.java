package org.travelingwords.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements at the semicolons that end them: a {@code ;} inside a
 * quoted string ('…', "…"), a quoted identifier (`…`) or a comment (-- …, /* … *&#47;) does not
 * end a statement. Statements holding only comments and blanks are dropped.
 */
public final class SqlStatements {

    private SqlStatements() {}

    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean hasCode = false;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char ch = script.charAt(i);
            int end;
            if (ch == '\'' || ch == '"' || ch == '`') {
                end = quotedEnd(script, i, ch);
                hasCode = true;
            } else if (script.startsWith("--", i)) {
                int newline = script.indexOf('\n', i);
                end = newline < 0 ? n : newline;
            } else if (script.startsWith("/*", i)) {
                int close = script.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
            } else if (ch == ';') {
                if (hasCode) {
                    statements.add(current.toString().trim());
                }
                current.setLength(0);
                hasCode = false;
                i++;
                continue;
            } else {
                end = i + 1;
                hasCode |= !Character.isWhitespace(ch);
            }
            current.append(script, i, end);
            i = end;
        }
        if (hasCode) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    /** The index after the closing quote (or the end of an unterminated one); backslash escapes the next character in strings. */
    private static int quotedEnd(String script, int open, char quote) {
        int i = open + 1;
        while (i < script.length()) {
            char ch = script.charAt(i);
            if (ch == '\\' && quote != '`') {
                i += 2;
            } else if (ch == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return script.length();
    }
}
