package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.travelingwords.model.NativeAllocator;

class ExecutorEnvironmentTest {

    @Test
    void executorsGetTheMallocSettingsByDefault() {
        Map<String, String> expected = new LinkedHashMap<>();
        NativeAllocator.SETTINGS.forEach((name, value) -> expected.put("spark.executorEnv." + name, value));
        assertEquals(expected, ExecutorEnvironment.entries(Map.of(), key -> false));
    }

    @Test
    void theDriversOwnValueGoesOnAndTheSparkConfigurationWins() {
        Map<String, String> driverEnv = Map.of("MALLOC_ARENA_MAX", "2", "MALLOC_TRIM_THRESHOLD_", "");
        Set<String> configured = Set.of("spark.executorEnv.MALLOC_MMAP_THRESHOLD_");
        assertEquals(Map.of("spark.executorEnv.MALLOC_ARENA_MAX", "2",
                        "spark.executorEnv.MALLOC_TRIM_THRESHOLD_", "17179869184"),
                ExecutorEnvironment.entries(driverEnv, configured::contains));
    }
}
