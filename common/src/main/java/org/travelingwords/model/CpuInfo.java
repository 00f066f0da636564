package org.travelingwords.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The CPU model and its vector ISA, from {@code /proc/cpuinfo} (first processor); "unknown" elsewhere. */
public record CpuInfo(String model, Set<String> flags) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    public static CpuInfo read() {
        try {
            return parse(Files.readAllLines(CPUINFO));
        } catch (IOException e) {
            return new CpuInfo("unknown", Set.of());
        }
    }

    static CpuInfo parse(List<String> lines) {
        String model = "unknown";
        Set<String> flags = new HashSet<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (line.isBlank() && flags.size() > 0) {
                break; // the first processor's block is enough
            }
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name")) {
                model = value;
            } else if (key.equals("flags")) {
                flags.addAll(Arrays.asList(value.split("\\s+")));
            }
        }
        return new CpuInfo(model, Set.copyOf(flags));
    }

    /** 3 with AVX-512 (avx512f), 2 with AVX2, 1 otherwise. */
    public int isaLevel() {
        return flags.contains("avx512f") ? 3 : flags.contains("avx2") ? 2 : 1;
    }

    public String isa() {
        return switch (isaLevel()) {
            case 3 -> "avx512";
            case 2 -> "avx2";
            default -> "pre-avx2";
        };
    }
}
