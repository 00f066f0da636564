package org.travelingwords.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The java binary of this JVM and the JVM flags Spark 4 needs on Java 17, for child JVMs. */
public final class JavaCommand {

    private JavaCommand() {}

    public static List<String> base() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The flags this JVM got (bin/tw's, or surefire's argLine: SPARK-NOTES "JVM flags") are what Spark needs too.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-modules") || arg.startsWith("--enable-native-access")
                    || arg.equals("-XX:+IgnoreUnrecognizedVMOptions") || arg.startsWith("-Dio.netty")
                    || arg.startsWith("-Dai.djl")) {
                command.add(arg);
            }
        }
        command.add(1, "-XX:+IgnoreUnrecognizedVMOptions");
        return command;
    }
}
