package org.travelingwords.report;

/**
 * A section's content: its HTML, or, when the run has no tables for it, why (shown in the page's
 * list of what is not there instead of an empty section).
 */
record SectionBody(String html, String whyAbsent) {

    static SectionBody of(String html) {
        return new SectionBody(html, null);
    }

    static SectionBody absent(String why) {
        return new SectionBody(null, why);
    }

    boolean present() {
        return html != null;
    }
}
