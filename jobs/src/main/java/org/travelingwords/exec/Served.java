package org.travelingwords.exec;

import java.io.Serializable;

/** A task's output with the executor JVM whose cached model computed it, for the run's {@link ModelLoads}. */
public record Served<T>(T value, ModelLoads loads) implements Serializable {
}
