package org.travelingwords.nightly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a night reads, from the files now and the lineage's committed nights. */
class NightPlanTest {

    private static final FileFingerprint A = new FileFingerprint("file:/c/a.jsonl", 10, 1000, "sha256:aa");
    private static final FileFingerprint B = new FileFingerprint("file:/c/b.jsonl", 20, 2000, "sha256:bb");
    private static final FileFingerprint C = new FileFingerprint("file:/c/c.jsonl", 30, 3000, "sha256:cc");
    private static final byte[] STATE = {1, 2, 3};

    private static LineageHistory after(String date, FileFingerprint... files) {
        return new LineageHistory("m/abc", date, new LineageHistory.Night(date, Map.of("sphere", STATE), List.of(files)));
    }

    @Test
    void theFirstNightReadsEverything() throws Exception {
        NightPlan plan = NightPlan.decide(List.of(A, B), new LineageHistory("m/abc", null, null), "2026-01-01", false,
                NightPlan.OnChange.REBUILD);
        assertEquals("full: first night of lineage m/abc", plan.mode());
        assertEquals(List.of(A, B), plan.toRead());
        assertNull(plan.baseState("sphere"));
    }

    @Test
    void aLaterNightReadsOnlyNewFilesOnTopOfThePreviousState() throws Exception {
        NightPlan plan = NightPlan.decide(List.of(A, B, C), after("2026-01-01", A, B), "2026-01-02", false,
                NightPlan.OnChange.FAIL);
        assertEquals("incremental: 1 new file", plan.mode());
        assertEquals(List.of(C), plan.toRead());
        assertArrayEquals(STATE, plan.baseState("sphere"));
        NightPlan none = NightPlan.decide(List.of(A, B), after("2026-01-01", A, B), "2026-01-02", false,
                NightPlan.OnChange.FAIL);
        assertEquals("incremental: 0 new files", none.mode());
        assertEquals(List.of(), none.toRead());
    }

    @Test
    void aChangedOrVanishedFileRebuildsOrRefuses() throws Exception {
        FileFingerprint touched = new FileFingerprint(A.path(), A.bytes(), A.modifiedAtMs() + 1, A.fingerprint());
        NightPlan rebuilt = NightPlan.decide(List.of(touched, C), after("2026-01-01", A, B), "2026-01-02", false,
                NightPlan.OnChange.REBUILD);
        assertEquals("full: 2 files changed or gone", rebuilt.mode());
        assertEquals(List.of(touched, C), rebuilt.toRead());
        assertNull(rebuilt.base());
        NightPlan.Refused refused = assertThrows(NightPlan.Refused.class, () -> NightPlan.decide(List.of(touched, B),
                after("2026-01-01", A, B), "2026-01-02", false, NightPlan.OnChange.FAIL));
        assertTrue(refused.getMessage().contains("file:/c/a.jsonl (changed)"), refused.getMessage());
        FileFingerprint rewritten = new FileFingerprint(B.path(), B.bytes(), B.modifiedAtMs(), "sha256:other");
        assertEquals("full: 1 file changed or gone", NightPlan.decide(List.of(A, rewritten), after("2026-01-01", A, B),
                "2026-01-02", false, NightPlan.OnChange.REBUILD).mode());
    }

    @Test
    void datesBeforeTheNewestNightNeedFull() throws Exception {
        LineageHistory history = new LineageHistory("m/abc", "2026-01-05", null);
        NightPlan.Refused refused = assertThrows(NightPlan.Refused.class, () -> NightPlan.decide(List.of(A),
                history, "2026-01-04", false, NightPlan.OnChange.REBUILD));
        assertTrue(refused.getMessage().contains("newest night 2026-01-05"), refused.getMessage());
        NightPlan full = NightPlan.decide(List.of(A), history, "2026-01-04", true, NightPlan.OnChange.REBUILD);
        assertEquals("full: --full", full.mode());
        // A rerun of the newest night builds on the night before it, which the history gives as previous.
        LineageHistory rerun = new LineageHistory("m/abc", "2026-01-02",
                new LineageHistory.Night("2026-01-01", Map.of("sphere", STATE), List.of(A)));
        NightPlan again = NightPlan.decide(List.of(A, B), rerun, "2026-01-02", false, NightPlan.OnChange.REBUILD);
        assertEquals(List.of(B), again.toRead());
        assertSame(rerun.previous(), again.base());
    }
}
