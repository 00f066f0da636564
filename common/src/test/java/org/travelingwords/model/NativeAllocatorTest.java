package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    @Test
    void settingsAreOneArenaTheLargestMmapThresholdAndNoTrimming() {
        assertEquals(List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"),
                List.copyOf(NativeAllocator.SETTINGS.keySet()));
        assertEquals("1", NativeAllocator.SETTINGS.get("MALLOC_ARENA_MAX"));
        // glibc refuses a threshold above HEAP_MAX_SIZE / 2 = 32 MiB on 64-bit and would keep its default
        assertEquals(32L << 20, Long.parseLong(NativeAllocator.SETTINGS.get("MALLOC_MMAP_THRESHOLD_")));
        assertEquals(16L << 30, Long.parseLong(NativeAllocator.SETTINGS.get("MALLOC_TRIM_THRESHOLD_")));
    }

    @Test
    void noWarningWhenEverySettingIsSetEvenToAnotherValue() {
        Map<String, String> env = new HashMap<>(NativeAllocator.SETTINGS);
        env.put("MALLOC_ARENA_MAX", "4");
        assertEquals(List.of(), NativeAllocator.missing(env));
        assertTrue(NativeAllocator.warning(env).isEmpty());
    }

    @Test
    void warningNamesTheUnsetAndBlankSettingsWithTheirValues() {
        Map<String, String> env = new HashMap<>();
        env.put("MALLOC_ARENA_MAX", "1");
        env.put("MALLOC_TRIM_THRESHOLD_", " ");
        assertEquals(List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"), NativeAllocator.missing(env));
        String warning = NativeAllocator.warning(env).orElseThrow();
        assertTrue(warning.contains(" MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184 "), warning);
        assertTrue(!warning.contains("MALLOC_ARENA_MAX"), warning);
    }
}
