package org.travelingwords.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.travelingwords.model.CpuInfo;
import org.travelingwords.model.Gemm;
import org.travelingwords.model.GemmProbe;
import org.travelingwords.model.LibtorchGemm;
import org.travelingwords.model.NativeAllocator;
import org.travelingwords.model.OpenBlas;
import org.travelingwords.model.OpenBlasGemm;
import org.travelingwords.model.TorchThreads;

/**
 * tw bench's GEMM section (README "GEMM"): the CPU, each path's one-thread GFLOP/s by the probe the
 * per-JVM choice uses, which path this JVM chose, whether OPENBLAS_CORETYPE holds OpenBLAS back, and the
 * glibc malloc settings (README "Native memory").
 */
public final class GemmPaths {

    private GemmPaths() {}

    /** libtorch, and OpenBLAS where its natives load (said on {@code out} where they don't). */
    public static List<Gemm> available(PrintStream out) {
        List<Gemm> paths = new ArrayList<>(List.of(LibtorchGemm.INSTANCE));
        try {
            paths.add(OpenBlasGemm.load());
        } catch (RuntimeException | LinkageError e) {
            out.println("openblas: unavailable here (" + e + ")");
        }
        return paths;
    }

    /** Prints {@code bench cpu …} and one {@code bench gemm path=… gflops=… chosen=…} line per path. */
    public static void print(PrintStream out, List<Gemm> paths, Gemm chosen) {
        CpuInfo cpu = CpuInfo.read();
        out.printf(Locale.ROOT, "bench cpu model=\"%s\" isa=%s cores=%d%n", cpu.model(), cpu.isa(),
                Runtime.getRuntime().availableProcessors());
        out.println("bench malloc " + NativeAllocator.SETTINGS.keySet().stream()
                .map(name -> name + "=" + NativeAllocator.valueIn(System.getenv(), name).orElse("unset"))
                .collect(Collectors.joining(" ")));
        NativeAllocator.warning().ifPresent(warning -> out.println("warning: " + warning));
        double[] gflops = GemmProbe.singleThreadGflops(paths);
        for (int p = 0; p < paths.size(); p++) {
            Gemm path = paths.get(p);
            String kernel = path instanceof OpenBlasGemm ? " openblas_core=" + OpenBlas.coreName() : "";
            out.printf(Locale.ROOT, "bench gemm path=%s gflops=%.1f chosen=%b%s%n", path.name(), gflops[p],
                    path.name().equals(chosen.name()), kernel);
            if (path instanceof OpenBlasGemm) {
                OpenBlas.coreTypeWarning().ifPresent(warning -> out.println("warning: " + warning));
            }
        }
        if (paths.size() > 1 && TorchThreads.current() > 1) {
            out.println("note: OpenBLAS serves single-threaded products only; with " + TorchThreads.current()
                    + " torch threads the forwards below multiply on libtorch, but forward_nologits_tasks (one thread per "
                    + "task, as Spark runs them) on each path");
        }
    }
}
