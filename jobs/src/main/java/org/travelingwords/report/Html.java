package org.travelingwords.report;

import java.util.Base64;
import java.util.Locale;

/**
 * Text and numbers into HTML. Everything read from a table goes through {@link #text(String)} or
 * {@link #token(String)}: token strings and corpus snippets hold {@code <}, {@code &} and quotes.
 */
final class Html {

    private Html() {}

    /** {@code text} escaped for element content and attribute values; null reads as empty. */
    static String text(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A decoded token as code, its whitespace made visible: GPT-2 tokens usually start with a space,
     * and a newline or tab would otherwise vanish from the page.
     */
    static String token(String token) {
        if (token == null) {
            return "<code class=\"tok\"></code>";
        }
        String visible = token.replace("\n", "↵").replace("\r", "␍").replace("\t", "⇥");
        return "<code class=\"tok\">" + text(visible) + "</code>";
    }

    /** Three significant digits: enough for angles in radians, norms and log-ratios side by side. */
    static String num(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    static String num(Double value) {
        return value == null ? "–" : num(value.doubleValue());
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** An embedded PNG shown at {@code width} CSS pixels (the bitmap may be denser, for print). */
    static String png(byte[] png, String alt, int width) {
        return "<img src=\"" + dataUri(png) + "\" alt=\"" + text(alt) + "\" width=\"" + width + "\">";
    }

    /** An embedded PNG at its own size, narrowed by the page's CSS where it is wider than its column. */
    static String png(byte[] png, String alt) {
        return "<img src=\"" + dataUri(png) + "\" alt=\"" + text(alt) + "\">";
    }

    private static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** An image with its caption (HTML), the unit the page lays out in a grid. */
    static String figure(String imageHtml, String caption) {
        return "<figure>" + imageHtml + "<figcaption>" + caption + "</figcaption></figure>\n";
    }
}
