package org.travelingwords.model;

import ai.djl.ndarray.NDArray;

/**
 * Receives each requested hook as the forward produces it. The array belongs to the forward's
 * scope and is freed when its block ends: a listener reduces it at once, or keeps a copy in a
 * manager of its own.
 */
@FunctionalInterface
public interface HookListener {
    void onHook(String name, NDArray value);
}
