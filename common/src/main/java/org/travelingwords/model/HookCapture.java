package org.travelingwords.model;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/** A listener that copies every hook it receives to JVM memory, in forward order (for {@code tw hooks} and tests). */
public final class HookCapture implements HookListener {

    private final Map<String, HostTensor> captured = new LinkedHashMap<>();

    @Override
    public void onHook(String name, NDArray value) {
        captured.put(name, new HostTensor(value.getShape().getShape(), Fp32.of(value).toFloatArray()));
    }

    public Map<String, HostTensor> captured() {
        return captured;
    }

    public HostTensor get(String name) {
        HostTensor tensor = captured.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("hook '" + name + "' was not captured");
        }
        return tensor;
    }
}
