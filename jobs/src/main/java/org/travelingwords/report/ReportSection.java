package org.travelingwords.report;

import java.io.IOException;

/** One part of the page; it renders itself from the context, or says why the run has nothing for it. */
abstract class ReportSection {

    private final String id;
    private final String title;

    /** {@code id}: the anchor of the section, also its element id. */
    ReportSection(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public final String id() {
        return id;
    }

    public final String title() {
        return title;
    }

    public abstract SectionBody render(ReportContext context) throws IOException;
}
