package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link Gemm} this JVM's CPU models use, decided once at first use. {@code -Dtw.gemm=openblas} or
 * {@code libtorch} forces a path; otherwise ({@code auto}) both are timed by {@link GemmProbe} and OpenBLAS
 * wins only when at least {@value #OPENBLAS_MARGIN}× faster, so noise between two close paths keeps
 * today's libtorch. GPU and half-precision models always use libtorch.
 */
public final class Gemms {

    public static final String PROPERTY = "tw.gemm";
    /** OpenBLAS must beat libtorch by this factor to be chosen: hysteresis against timing noise. */
    static final double OPENBLAS_MARGIN = 1.5;

    private static final Logger LOG = LoggerFactory.getLogger(Gemms.class);
    private static Gemm cpu;

    private Gemms() {}

    /** The path for a model whose arrays are {@code dataType} on {@code device}. */
    public static Gemm forModel(Device device, DataType dataType) {
        return device.isGpu() || dataType != DataType.FLOAT32 ? LibtorchGemm.INSTANCE : cpu();
    }

    /** This JVM's choice for fp32 on the CPU. */
    public static synchronized Gemm cpu() {
        if (cpu == null) {
            cpu = choose(System.getProperty(PROPERTY, "auto"), OpenBlasGemm::load, GemmProbe::singleThreadGflops);
            NativeAllocator.warning().ifPresent(LOG::warn);
        }
        return cpu;
    }

    /**
     * The choice for {@code setting} ({@code auto}, {@code libtorch} or {@code openblas}); {@code openBlas}
     * loads that path (it may throw where its natives are missing), {@code gflops} times paths side by side.
     */
    static Gemm choose(String setting, Supplier<Gemm> openBlas, Function<List<Gemm>, double[]> gflops) {
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "libtorch":
                LOG.info("GEMM: libtorch (-D{}=libtorch)", PROPERTY);
                return LibtorchGemm.INSTANCE;
            case "openblas":
                Gemm forced = openBlas.get();
                LOG.info("GEMM: openblas, {} kernel (-D{}=openblas)", OpenBlas.coreName(), PROPERTY);
                warnAboutCoreType();
                return forced;
            case "auto":
                return measured(openBlas, gflops);
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + setting + ": expected auto, libtorch or openblas");
        }
    }

    private static Gemm measured(Supplier<Gemm> openBlas, Function<List<Gemm>, double[]> gflops) {
        Gemm candidate;
        try {
            candidate = openBlas.get();
        } catch (RuntimeException | LinkageError e) {
            LOG.info("GEMM: libtorch (OpenBLAS unavailable here: {})", e.toString());
            return LibtorchGemm.INSTANCE;
        }
        double[] timed = gflops.apply(List.of(LibtorchGemm.INSTANCE, candidate));
        double torch = timed[0];
        double blas = timed[1];
        Gemm chosen = blas >= OPENBLAS_MARGIN * torch ? candidate : LibtorchGemm.INSTANCE;
        LOG.info(String.format(Locale.ROOT, "GEMM: %s (one thread, %dx%d·%dx%d: openblas %.1f GFLOP/s with its %s kernel, "
                        + "libtorch %.1f; openblas needs %.1fx)", chosen.name(), GemmProbe.ROWS, GemmProbe.IN, GemmProbe.IN,
                GemmProbe.OUT, blas, OpenBlas.coreName(), torch, OPENBLAS_MARGIN));
        warnAboutCoreType();
        return chosen;
    }

    private static void warnAboutCoreType() {
        OpenBlas.coreTypeWarning().ifPresent(LOG::warn);
    }
}
