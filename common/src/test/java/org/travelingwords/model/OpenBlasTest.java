package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenBlasTest {

    private static final CpuInfo ZEN5 = new CpuInfo("AMD EPYC", Set.of("avx2", "avx512f"));

    @Test
    void namesTheKernelItRuns() {
        assertNotEquals("unknown", OpenBlas.coreName());
    }

    @Test
    void warnsWhenTheEnvironmentForcesAnOlderKernel() {
        assertTrue(OpenBlas.coreTypeWarning("Haswell", "HASWELL", ZEN5).orElseThrow().contains("OPENBLAS_CORETYPE=Haswell"));
        assertTrue(OpenBlas.coreTypeWarning("Sandybridge", "SANDYBRIDGE",
                new CpuInfo("Intel Xeon", Set.of("avx2"))).isPresent());
    }

    @Test
    void staysQuietWhenTheKernelFitsOrNothingIsForced() {
        assertTrue(OpenBlas.coreTypeWarning(null, "HASWELL", ZEN5).isEmpty(), "detected, not forced");
        assertTrue(OpenBlas.coreTypeWarning("SkylakeX", "SKYLAKEX", ZEN5).isEmpty());
        assertTrue(OpenBlas.coreTypeWarning("Haswell", "HASWELL", new CpuInfo("Intel Xeon", Set.of("avx2"))).isEmpty());
        assertTrue(OpenBlas.coreTypeWarning("Haswell", "unknown", ZEN5).isEmpty());
    }

    @Test
    void readsModelAndIsaFromCpuinfo() {
        CpuInfo cpu = CpuInfo.parse(List.of("processor\t: 0", "model name\t: AMD EPYC 9B45",
                "flags\t\t: fpu sse2 avx2 avx512f", "", "processor\t: 1", "model name\t: other"));
        assertEquals("AMD EPYC 9B45", cpu.model());
        assertEquals("avx512", cpu.isa());
        assertEquals("avx2", CpuInfo.parse(List.of("flags : sse2 avx2")).isa());
    }
}
