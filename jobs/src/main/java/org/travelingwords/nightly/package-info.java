/**
 * {@code tw nightly} (DESIGN §7): runs over a growing corpus that read only the files a lineage has
 * not read yet, and write both this night's aggregates ({@code scope = run}) and the lineage's
 * cumulative ones, merged from the previous night's state — never from a night's own earlier rows,
 * so that rerunning a night changes nothing.
 */
package org.travelingwords.nightly;
