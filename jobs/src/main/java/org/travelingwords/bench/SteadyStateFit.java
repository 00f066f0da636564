package org.travelingwords.bench;

import java.util.Locale;

/**
 * A job's time as a line in its corpus size, through two timed runs: seconds = fixedS + tokens /
 * tokensPerS. The slope is the steady-state throughput, the intercept what a run costs whatever
 * its size (job scheduling, per-run projections, driver-side finishing, table commits).
 */
public record SteadyStateFit(double tokensPerS, double fixedS) {

    /** The line through (tokens1, seconds1) and (tokens2, seconds2); refuses a slope that is not positive. */
    public static SteadyStateFit through(long tokens1, double seconds1, long tokens2, double seconds2) {
        double tokensPerS = (tokens2 - tokens1) / (seconds2 - seconds1);
        if (!(tokensPerS > 0 && Double.isFinite(tokensPerS))) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "no steady-state rate: %d tokens took %.3f s and %d tokens %.3f s; the larger run must take longer "
                            + "(time more tokens, e.g. a larger --job-tokens, or run on a quieter machine)",
                    tokens1, seconds1, tokens2, seconds2));
        }
        return new SteadyStateFit(tokensPerS, seconds1 - tokens1 / tokensPerS);
    }
}
