package org.travelingwords.model;

import java.util.Locale;

/** The MLP non-linearity named by a Hugging Face config's {@code activation_function}. */
public enum Activation {
    /** 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))), GPT-2's original form. */
    GELU_TANH,
    /** x·Φ(x) with the exact error function. */
    GELU_ERF;

    /** Maps a config name to the form it computes; anything unknown is an error, never a guess. */
    public static Activation fromConfigName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "gelu_new":
            case "gelu_pytorch_tanh":
            case "gelu_fast":
                return GELU_TANH;
            case "gelu":
                return GELU_ERF;
            default:
                throw new IllegalArgumentException("unsupported activation_function '" + name
                        + "': expected one of gelu_new, gelu_pytorch_tanh, gelu_fast, gelu");
        }
    }
}
