package org.travelingwords.cli;

import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.DeltaSessions;
import org.travelingwords.cluster.ExecutorEnvironment;
import picocli.CommandLine.Option;

/**
 * The {@code --master} and {@code --conf} options of every Spark command, and the session they give. A
 * session that was already running (a test's, an embedding program's) is reused and left running;
 * one started here is stopped by {@link #close()}.
 */
final class SparkOptions implements AutoCloseable {

    @Option(names = "--master",
            description = "Spark master URL: local[*], local[N], spark://host:port, yarn, k8s://… (default: the one "
                    + "spark-submit set, else local[*]).")
    String master;

    @Option(names = "--conf", description = "A Spark setting key=value, e.g. spark.executor.memory=8g; repeatable.")
    java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

    private SparkSession session;
    private boolean startedHere;

    SparkSession session() {
        if (session == null) {
            startedHere = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
            // Under spark-submit (cluster mode, YARN, Kubernetes) the master arrives as spark.master: keep it.
            String master = this.master != null ? this.master : System.getProperty("spark.master", "local[*]");
            SparkSession.Builder builder = ExecutorEnvironment.configure(DeltaSessions.configure(SparkSession.builder()))
                    .appName("tw")
                    .master(master)
                    .config("spark.ui.enabled", "false");
            if (master.startsWith("local")) {
                // A laptop's other interfaces are of no use to a local driver (SPARK-NOTES: SPARK_LOCAL_IP).
                builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            }
            conf.forEach(builder::config);
            session = builder.getOrCreate();
            if (startedHere) {
                session.sparkContext().setLogLevel("WARN");
            }
        }
        return session;
    }

    @Override
    public void close() {
        if (session != null && startedHere) {
            session.stop();
        }
        session = null;
    }
}
