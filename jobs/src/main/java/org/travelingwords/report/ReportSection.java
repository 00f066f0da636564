package org.travelingwords.report;

import java.io.IOException;

/** One part of the page; it renders itself from the context, or says why the run has nothing for it. */
interface ReportSection {

    /** The anchor of the section, also its element id. */
    String id();

    String title();

    SectionBody render(ReportContext context) throws IOException;
}
