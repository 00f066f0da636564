package org.travelingwords.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SteadyStateFitTest {

    @Test
    void exactLineThroughTwoRuns() {
        // 12 s fixed + 1,000 tokens/s: 100k tokens in 112 s, 200k in 212 s
        SteadyStateFit fit = SteadyStateFit.through(100_000, 112, 200_000, 212);
        assertEquals(1000, fit.tokensPerS(), 1e-9);
        assertEquals(12, fit.fixedS(), 1e-9);
        SteadyStateFit reversed = SteadyStateFit.through(200_000, 212, 100_000, 112);
        assertEquals(fit.tokensPerS(), reversed.tokensPerS(), 1e-9);
        assertEquals(fit.fixedS(), reversed.fixedS(), 1e-9);
    }

    @Test
    void aNegativeInterceptIsReportedAsMeasured() {
        SteadyStateFit fit = SteadyStateFit.through(1000, 0.5, 2000, 1.5);
        assertEquals(1000, fit.tokensPerS(), 1e-9);
        assertEquals(-0.5, fit.fixedS(), 1e-12);
    }

    @Test
    void refusesANonPositiveSlope() {
        for (double seconds2 : new double[] {10, 9.5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SteadyStateFit.through(1000, 10, 2000, seconds2));
            assertTrue(e.getMessage().contains("no steady-state rate: 1000 tokens took 10.000 s and 2000 tokens")
                    && e.getMessage().contains("--job-tokens"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SteadyStateFit.through(1000, 10, 1000, 12));
    }
}
