package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without the build's list of Spark jars no cluster starts, and the message says how to produce it. */
class StandaloneClusterTest {

    @Test
    void refusesToStartWithoutTheSparkClasspathFile(@TempDir Path dir) {
        Path missing = dir.resolve("spark-classpath.txt");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> StandaloneCluster.start(missing, dir, 1));
        assertTrue(e.getMessage().startsWith(missing + " is missing") && e.getMessage().contains("./mvnw -DskipTests package"),
                e.getMessage());
    }
}
