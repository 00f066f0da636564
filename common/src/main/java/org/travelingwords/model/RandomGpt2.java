package org.travelingwords.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic random GPT-2 weights: the generator behind {@code tw make-model}, the {@code demo}
 * model and test fixtures. Matrices and biases are N(0, std²); LayerNorm γ = 1 + N(0, 0.1²) and
 * β = N(0, 0.05²), so that the analyses that are about γ and β see non-trivial values.
 */
public final class RandomGpt2 {

    private RandomGpt2() {}

    public static Gpt2Weights generate(Gpt2Config config, long seed, double std) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : Gpt2Weights.expectedShapes(config).entrySet()) {
            String name = e.getKey();
            float[] values = new float[Math.toIntExact(HostTensor.numel(e.getValue()))];
            boolean lnGain = name.contains("ln_") && name.endsWith(".weight");
            boolean lnBias = name.contains("ln_") && name.endsWith(".bias");
            double mean = lnGain ? 1.0 : 0.0;
            double sd = lnGain ? 0.1 : lnBias ? 0.05 : std;
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (mean + sd * random.nextGaussian());
            }
            tensors.put(name, new HostTensor(e.getValue(), values));
        }
        return new Gpt2Weights(config, tensors);
    }
}
