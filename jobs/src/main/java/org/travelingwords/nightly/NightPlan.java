package org.travelingwords.nightly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a night reads and what it builds on (DESIGN §7): the files its lineage has not read, on top of
 * the previous night's cumulative state — or, when a file read before has changed or gone (a sketch
 * cannot subtract it), when {@code --full} is given, or on a lineage's first night, every current
 * file from scratch.
 *
 * @param mode     how the night reads, as {@code runs.mode} records it
 * @param toRead   the files this night reads, in listing order
 * @param base     the previous night, whose cumulative state and files this one adds to; null for a full night
 */
public record NightPlan(String mode, List<FileFingerprint> toRead, LineageHistory.Night base) {

    /** What to do when a file read before changed or disappeared. */
    public enum OnChange { REBUILD, FAIL }

    /** A night that must not run as asked; its message says why and what to do. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * @param current  the corpus files now, in listing order
     * @param history  the lineage's nights before this one
     * @param runDate  this night's date
     */
    public static NightPlan decide(List<FileFingerprint> current, LineageHistory history, String runDate,
                                   boolean full, OnChange onChange) throws Refused {
        if (!full && history.newestDate() != null && runDate.compareTo(history.newestDate()) < 0) {
            throw new Refused("night " + runDate + " is before lineage " + history.lineage() + "'s newest night "
                    + history.newestDate() + ": rerun " + history.newestDate() + ", run a later date, or give --full");
        }
        if (full) {
            return fromScratch("full: --full", current);
        }
        if (history.previous() == null) {
            return fromScratch("full: first night of lineage " + history.lineage(), current);
        }
        Map<String, FileFingerprint> now = new LinkedHashMap<>();
        current.forEach(f -> now.put(f.path(), f));
        List<String> changed = new ArrayList<>();
        for (FileFingerprint recorded : history.previous().files()) {
            FileFingerprint file = now.get(recorded.path());
            if (file == null) {
                changed.add(recorded.path() + " (gone)");
            } else if (!file.sameAs(recorded)) {
                changed.add(recorded.path() + " (changed)");
            }
        }
        if (!changed.isEmpty()) {
            if (onChange == OnChange.FAIL) {
                throw new Refused(changed.size() + " file(s) read by earlier nights changed or disappeared, and "
                        + "--on-change fail was given: " + String.join(", ", changed));
            }
            return fromScratch("full: " + changed.size() + (changed.size() == 1 ? " file" : " files")
                    + " changed or gone", current);
        }
        history.previous().files().forEach(f -> now.remove(f.path()));
        List<FileFingerprint> fresh = List.copyOf(now.values());
        return new NightPlan("incremental: " + fresh.size() + (fresh.size() == 1 ? " new file" : " new files"), fresh,
                history.previous());
    }

    private static NightPlan fromScratch(String mode, List<FileFingerprint> current) {
        return new NightPlan(mode, List.copyOf(current), null);
    }

    /** The previous cumulative state of {@code analysis}; null for a full night or before any usable window. */
    public byte[] baseState(String analysis) {
        return base == null ? null : base.states().get(analysis);
    }
}
