package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The per-JVM choice: -Dtw.gemm forces, auto measures with a margin, GPUs and half precision stay on libtorch. */
class GemmsTest {

    private final Gemm openBlas = OpenBlasGemm.load();
    private final List<String> timed = new ArrayList<>();

    @Test
    void forcingTakesThePathWithoutTiming() {
        Function<List<Gemm>, double[]> slowOpenBlas = timing(10, 100);
        assertSame(openBlas, Gemms.choose("openblas", () -> openBlas, slowOpenBlas));
        assertSame(LibtorchGemm.INSTANCE, Gemms.choose(" LIBTORCH ", () -> openBlas, timing(1000, 1)));
        assertEquals(List.of(), timed);
    }

    @Test
    void autoChoosesOpenBlasOnlyAtTheMargin() {
        assertSame(LibtorchGemm.INSTANCE, Gemms.choose("auto", () -> openBlas, timing(140, 100)));
        assertEquals(List.of("libtorch", "openblas"), timed);
        assertSame(openBlas, Gemms.choose("auto", () -> openBlas, timing(150, 100)));
    }

    @Test
    void autoFallsBackWhenOpenBlasCannotLoad() {
        Supplier<Gemm> missing = () -> {
            throw new UnsatisfiedLinkError("no jniopenblas_nolapack");
        };
        assertSame(LibtorchGemm.INSTANCE, Gemms.choose("auto", missing, timing(1000, 1)));
        assertThrows(UnsatisfiedLinkError.class, () -> Gemms.choose("openblas", missing, timing(1000, 1)));
    }

    @Test
    void rejectsAnUnknownPath() {
        assertThrows(IllegalArgumentException.class, () -> Gemms.choose("mkl", () -> openBlas, timing(1, 1)));
    }

    @Test
    void theSystemPropertyForcesThisJvmsChoice() {
        String property = System.getProperty(Gemms.PROPERTY);
        if (property != null && !property.equals("auto")) {
            assertEquals(property, Gemms.cpu().name());
        }
        assertTrue(List.of("libtorch", "openblas").contains(Gemms.cpu().name()));
    }

    @Test
    void gpuAndHalfPrecisionStayOnLibtorch() {
        assertSame(LibtorchGemm.INSTANCE, Gemms.forModel(Device.gpu(0), DataType.FLOAT32));
        assertSame(LibtorchGemm.INSTANCE, Gemms.forModel(Device.cpu(), DataType.FLOAT16));
    }

    /** Fake timings, in GFLOP/s by path name, that record which paths were timed. */
    private Function<List<Gemm>, double[]> timing(double openBlasGflops, double libtorchGflops) {
        Map<String, Double> gflops = Map.of("openblas", openBlasGflops, "libtorch", libtorchGflops);
        return paths -> {
            paths.forEach(gemm -> timed.add(gemm.name()));
            return paths.stream().mapToDouble(gemm -> gflops.get(gemm.name())).toArray();
        };
    }
}
