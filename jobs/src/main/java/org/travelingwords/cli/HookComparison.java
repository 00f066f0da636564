package org.travelingwords.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.travelingwords.model.HostTensor;
import org.travelingwords.model.SafetensorsFile;

/** Hooks just captured against those of an earlier {@code tw hooks} file: e.g. a GPU forward against the CPU's. */
final class HookComparison {

    private HookComparison() {}

    /** Prints each hook's largest absolute difference; true when every one is within {@code tolerance}. */
    static boolean within(Map<String, HostTensor> hooks, Path reference, double tolerance, PrintWriter out) throws IOException {
        boolean ok = true;
        try (SafetensorsFile file = SafetensorsFile.open(reference)) {
            for (Map.Entry<String, HostTensor> hook : hooks.entrySet()) {
                String name = hook.getKey();
                if (!file.entries().containsKey(name)) {
                    throw new IllegalArgumentException("--compare " + reference + " has no hook " + name);
                }
                HostTensor expected = file.readFloat(name);
                if (!Arrays.equals(expected.shape(), hook.getValue().shape())) {
                    throw new IllegalArgumentException("hook " + name + " is " + Arrays.toString(hook.getValue().shape())
                            + " here but " + Arrays.toString(expected.shape()) + " in " + reference);
                }
                double max = maxAbsDifference(expected.data(), hook.getValue().data());
                boolean hookOk = max <= tolerance;   // NaN fails too
                out.printf(Locale.ROOT, "compare %s max_abs_diff=%.3g %s%n", name, max, hookOk ? "ok" : "OVER " + tolerance);
                ok &= hookOk;
            }
        }
        return ok;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= max)) {
                max = d;                         // keeps a NaN once seen
            }
        }
        return max;
    }
}
