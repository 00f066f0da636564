package org.travelingwords.catalog;

import java.util.Locale;

/** How {@code tw sql} prints a result. */
public enum ResultFormat {
    /** An aligned text table like Spark's {@code show(false)}: nothing truncated, nulls as NULL. */
    TABLE,
    /** RFC 4180 CSV with a header line; null is an empty field, the empty string is {@code ""}. */
    CSV,
    /** One JSON object per row and line (JSON Lines), nulls kept. */
    JSON;

    /** table, csv or json, any case. */
    public static ResultFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format '" + name + "' must be table, csv or json");
        }
    }
}
