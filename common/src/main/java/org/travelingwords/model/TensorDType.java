package org.travelingwords.model;

/** The safetensors element types this project reads or writes. */
public enum TensorDType {
    F32(4), F16(2), BF16(2), I64(8);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Null when the safetensors dtype is one we do not read. */
    static TensorDType parse(String name) {
        for (TensorDType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
