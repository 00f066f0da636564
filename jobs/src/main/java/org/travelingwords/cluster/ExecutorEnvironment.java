package org.travelingwords.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.model.NativeAllocator;

/**
 * The environment executors need and a cluster's launcher does not give them: the glibc malloc settings of
 * {@link NativeAllocator}, passed as {@code spark.executorEnv.*} (standalone, YARN and Kubernetes set them in
 * each executor's environment before its JVM starts). A value set in the driver's own environment goes on
 * to the executors; one already in the Spark configuration (spark-submit's or tw's {@code --conf}) wins.
 */
public final class ExecutorEnvironment {

    static final String PREFIX = "spark.executorEnv.";

    private ExecutorEnvironment() {}

    /** Adds the entries this process's environment and spark-submit's configuration leave to us. */
    public static SparkSession.Builder configure(SparkSession.Builder builder) {
        entries(System.getenv(), key -> System.getProperty(key) != null).forEach(builder::config);
        return builder;
    }

    /** {@code spark.executorEnv.NAME → value} for each setting {@code configured} does not hold yet. */
    static Map<String, String> entries(Map<String, String> driverEnv, Predicate<String> configured) {
        Map<String, String> entries = new LinkedHashMap<>();
        NativeAllocator.SETTINGS.forEach((name, value) -> {
            String key = PREFIX + name;
            if (!configured.test(key)) {
                entries.put(key, NativeAllocator.valueIn(driverEnv, name).orElse(value));
            }
        });
        return entries;
    }
}
