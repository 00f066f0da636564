package org.travelingwords.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS through JavaCPP (the BLAS-only natives): loading, its thread count, and the kernel its
 * DYNAMIC_ARCH build runs on this CPU.
 */
public final class OpenBlas {

    /** The environment variable that makes OpenBLAS run a named kernel instead of detecting the CPU's. */
    public static final String CORETYPE_ENV = "OPENBLAS_CORETYPE";

    /** The x86-64 kernels of a DYNAMIC_ARCH build, by the widest vector ISA they use. */
    private static final List<String> AVX512_KERNELS = List.of("SKYLAKEX", "COOPERLAKE", "SAPPHIRERAPIDS");
    private static final List<String> AVX2_KERNELS = List.of("HASWELL", "ZEN", "EXCAVATOR");
    private static final List<String> OLDER_KERNELS = List.of("SANDYBRIDGE", "STEAMROLLER", "PILEDRIVER", "BULLDOZER",
            "NEHALEM", "BARCELONA", "CORE2", "PRESCOTT", "ATHLON", "BANIAS", "COPPERMINE", "KATMAI", "NORTHWOOD");

    private OpenBlas() {}

    /** Loads the natives (once; throws where they can't load) and keeps OpenBLAS on the caller's thread. */
    static synchronized void load() {
        Loader.load(openblas_nolapack.class);
        // JavaCPP's blas_set_num_threads also reaches the MKL inside libtorch (its symbols are in the process):
        // libtorch's 2-thread matmul fell from 124 to 66 GFLOP/s after it. Give libtorch its count back.
        int torchThreads = TorchThreads.current();
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
        TorchThreads.set(torchThreads);
    }

    /**
     * The kernel in use, e.g. {@code COOPERLAKE}. JavaCPP's presets leave out {@code openblas_get_corename};
     * what it answers is which {@code gotoblas_<NAME>} table the global {@code gotoblas} points to, read here
     * the same way. "unknown" for a build without DYNAMIC_ARCH.
     */
    public static String coreName() {
        load();
        Pointer active = Loader.addressof("gotoblas");
        if (active == null || active.isNull()) {
            return "unknown";
        }
        long table = new LongPointer(active).get();
        for (List<String> kernels : List.of(AVX512_KERNELS, AVX2_KERNELS, OLDER_KERNELS)) {
            for (String name : kernels) {
                Pointer candidate = Loader.addressof("gotoblas_" + name);
                if (candidate != null && candidate.address() == table) {
                    return name;
                }
            }
        }
        return "unknown";
    }

    /** {@link #coreTypeWarning(String, String, CpuInfo)} for this process and machine. */
    public static Optional<String> coreTypeWarning() {
        return coreTypeWarning(System.getenv(CORETYPE_ENV), coreName(), CpuInfo.read());
    }

    /**
     * A warning when {@code OPENBLAS_CORETYPE} (value {@code forced}, null when unset) makes OpenBLAS run a
     * kernel for an older ISA than {@code cpu} has: the JVM can't unset it for itself.
     */
    static Optional<String> coreTypeWarning(String forced, String kernel, CpuInfo cpu) {
        if (forced == null || forced.isBlank() || isaLevel(kernel) >= cpu.isaLevel()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s=%s makes OpenBLAS run its %s kernel on a CPU with %s: "
                        + "unset it for the faster kernel (bin/tw does unless TW_KEEP_OPENBLAS_CORETYPE is set)",
                CORETYPE_ENV, forced, kernel, cpu.isa()));
    }

    /** On {@link CpuInfo#isaLevel()}'s scale: 3 AVX-512, 2 AVX2, 1 older; above all when unknown, never warned about. */
    static int isaLevel(String kernel) {
        if (AVX512_KERNELS.contains(kernel)) {
            return 3;
        }
        if (AVX2_KERNELS.contains(kernel)) {
            return 2;
        }
        return OLDER_KERNELS.contains(kernel) ? 1 : Integer.MAX_VALUE;
    }
}
