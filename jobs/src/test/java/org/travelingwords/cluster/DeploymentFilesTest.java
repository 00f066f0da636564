package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.model.NativeAllocator;

/**
 * The deployment files: docker-compose.yml validated by Debian's docker-compose (no engine runs
 * here, `config` needs none), the image's build context and base, the Kubernetes example, the
 * image's entrypoint roles that Spark on Kubernetes starts (with a stand-in java), and the GPU
 * discovery script with a stub nvidia-smi and on a machine without GPUs.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    /** bin/tw, the image and the test JVMs start with NativeAllocator's malloc settings, at its values. */
    @Test
    void launcherImageAndTestJvmsSetTheMallocSettings() throws IOException {
        Map<Path, String> lineFormats = Map.of(
                ROOT.resolve("bin/tw"), "export %1$s=\"${%1$s:-%2$s}\"",
                ROOT.resolve("docker/Dockerfile"), "%1$s=%2$s",
                ROOT.resolve("pom.xml"), "<%1$s>%2$s</%1$s>");
        for (Map.Entry<Path, String> file : lineFormats.entrySet()) {
            String text = Files.readString(file.getKey());
            NativeAllocator.SETTINGS.forEach((name, value) -> assertTrue(
                    text.contains(String.format(file.getValue(), name, value)), file.getKey() + " lacks " + name + "=" + value));
        }
    }

    @Test
    void composeFileIsValid() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/docker-compose")),
                "docker-compose is missing: .ci/run installs Debian's docker-compose package");
        run(ROOT, "docker-compose", "-f", "docker-compose.yml", "config", "-q");
        String resolved = run(ROOT, "docker-compose", "-f", "docker-compose.yml", "config");
        for (String service : new String[] {"spark-master:", "spark-worker-1:", "spark-worker-2:", "history:", "submit:"}) {
            assertTrue(resolved.contains(service), "service " + service);
        }
        assertTrue(resolved.contains("driver: nvidia"), "workers reserve NVIDIA GPUs");
        // Each worker names its own GPU: `count: 1` on both would give both GPU 0.
        assertTrue(service(resolved, "spark-worker-1").matches("(?s).*device_ids:\\s*- '0'\\s.*"), resolved);
        assertTrue(service(resolved, "spark-worker-2").matches("(?s).*device_ids:\\s*- '1'\\s.*"), resolved);
        assertTrue(!resolved.contains("count:"), "no GPU reservation by count");
    }

    /** The block of one service in `docker-compose config`'s output (services two spaces in, keys deeper). */
    private static String service(String resolved, String name) {
        int start = resolved.indexOf("\n  " + name + ":\n");
        assertTrue(start >= 0, "service " + name);
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("\n  \\S").matcher(resolved);
        return resolved.substring(start, next.find(start + 1) ? next.start() : resolved.length());
    }

    @Test
    void imageBuildContextLeavesOutDataOutputsAndGit() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
        assertTrue(ignored.containsAll(List.of("data", "tw-out", "target", "**/target", ".git")), ignored.toString());
        assertTrue(!Files.exists(ROOT.resolve("docker/Dockerfile.dockerignore")),
                "a Dockerfile-specific ignore file would replace .dockerignore for BuildKit builds");
    }

    @Test
    void imagePinsItsCudaBaseAndNumbersGpusLikeNvidiaSmi() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        assertTrue(dockerfile.matches("(?s).*\nFROM nvidia/cuda:12\\.4\\.\\d+-base-ubuntu\\d+\\.\\d+\n.*"),
                "the CUDA base image is pinned to a full tag of libtorch's CUDA 12.4");
        assertTrue(dockerfile.matches("(?s).*\n\\s*CUDA_DEVICE_ORDER=PCI_BUS_ID( \\\\)?\n.*"), "CUDA_DEVICE_ORDER in the image's ENV");
    }

    @Test
    void kubernetesExampleSharesTheModelCacheReadOnlyAndReadsOnlyWhatTheImageCan() throws IOException {
        String claim = Files.readString(ROOT.resolve("conf/k8s/hf-cache-pvc.yaml"));
        assertTrue(claim.contains("name: hf-cache") && claim.contains("accessModes: [ReadOnlyMany]"), claim);
        for (String template : new String[] {"driver-pod-template.yaml", "executor-pod-template.yaml"}) {
            String pod = Files.readString(ROOT.resolve("conf/k8s").resolve(template));
            assertTrue(pod.contains("persistentVolumeClaim: {claimName: hf-cache, readOnly: true}"), template);
        }
        String submit = Files.readString(ROOT.resolve("conf/k8s/submit.sh"));
        assertTrue(submit.contains("--conf spark.executor.memoryOverhead="), "room for the CUDA context beyond the heap");
        assertTrue(!submit.contains("s3a://"), "the image has no hadoop-aws, so the example must not read s3a://");
    }

    /** docker/entrypoint.sh with a stand-in java that prints its environment's PYTORCH_FLAVOR and arguments. */
    private static List<String> entrypoint(Path dir, Map<String, String> env, String... args) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"PYTORCH_FLAVOR=$PYTORCH_FLAVOR\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
        java.toFile().setExecutable(true);
        Path cache = Files.createDirectories(dir.resolve("djl-cache"));
        Files.writeString(cache.resolve("pytorch-flavor"), "cu124\n");
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("docker/entrypoint.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("PYTORCH_"));
        builder.environment().putAll(Map.of("PATH", bin + ":" + System.getenv("PATH"), "SPARK_HOME", "/opt/spark",
                "TW_HOME", "/opt/traveling-words", "DJL_CACHE_DIR", cache.toString()));
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "entrypoint hung");
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }

    @Test
    void entrypointStartsAKubernetesExecutorTheWaySparkDescribesIt(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@10.0.0.4:7078",
                "SPARK_EXECUTOR_ID", "3", "SPARK_EXECUTOR_CORES", "8", "SPARK_EXECUTOR_MEMORY", "24g",
                "SPARK_APPLICATION_ID", "spark-abc", "SPARK_EXECUTOR_POD_IP", "10.0.0.9",
                "SPARK_EXECUTOR_POD_NAME", "tw-exec-3", "SPARK_RESOURCE_PROFILE_ID", "0"));
        env.putAll(Map.of("SPARK_JAVA_OPT_0", "-Dspark.driver.port=7078", "SPARK_JAVA_OPT_1", "-Dtw.note=two words",
                "SPARK_JAVA_OPT_10", "-Dtw.last=10"));
        List<String> args = entrypoint(dir, env, "executor");
        assertEquals("PYTORCH_FLAVOR=cu124", args.get(0), "the flavor of the libtorch in DJL's cache");
        assertTrue(args.contains("-Dai.djl.offline=true") && args.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"));
        int opts = args.indexOf("-Dspark.driver.port=7078");
        assertEquals(List.of("-Dspark.driver.port=7078", "-Dtw.note=two words", "-Dtw.last=10", "-Xms24g", "-Xmx24g"),
                args.subList(opts, opts + 5), "Spark's JVM options in their order, then the heap");
        int main = args.indexOf("org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend");
        assertEquals("/opt/spark/conf:/opt/spark/jars/*", args.get(main - 1));
        assertEquals(List.of("--driver-url", "spark://CoarseGrainedScheduler@10.0.0.4:7078", "--executor-id", "3",
                "--cores", "8", "--app-id", "spark-abc", "--hostname", "10.0.0.9", "--resourceProfileId", "0",
                "--podName", "tw-exec-3"), args.subList(main + 1, args.size()));
    }

    @Test
    void entrypointRunsAKubernetesDriverThroughSparkSubmitInClientMode(@TempDir Path dir) throws Exception {
        List<String> args = entrypoint(dir, Map.of("SPARK_DRIVER_BIND_ADDRESS", "10.0.0.4"), "driver",
                "--properties-file", "/opt/spark/conf/spark.properties", "--class", "org.travelingwords.cli.TwCommand",
                "local:///opt/traveling-words/traveling-words-app.jar", "run", "--corpus", "s3a://b/c/");
        int main = args.indexOf("org.apache.spark.deploy.SparkSubmit");
        assertEquals(List.of("--conf", "spark.driver.bindAddress=10.0.0.4", "--conf",
                "spark.executorEnv.SPARK_DRIVER_POD_IP=10.0.0.4", "--deploy-mode", "client", "--properties-file",
                "/opt/spark/conf/spark.properties", "--class", "org.travelingwords.cli.TwCommand",
                "local:///opt/traveling-words/traveling-words-app.jar", "run", "--corpus", "s3a://b/c/"),
                args.subList(main + 1, args.size()));
        List<String> tw = entrypoint(dir, Map.of(), "tw", "run", "--model", "gpt2");
        assertEquals(List.of("-cp", "/opt/traveling-words/traveling-words-app.jar:/opt/spark/conf:/opt/spark/jars/*",
                "org.travelingwords.cli.TwCommand", "run", "--model", "gpt2"), tw.subList(tw.size() - 6, tw.size()));
    }

    /** conf/gpu-discovery.sh with a stub nvidia-smi first on PATH and {@code cudaVisibleDevices} (null: unset). */
    private static String discover(Path dir, String cudaVisibleDevices) throws Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\nprintf '0, GPU-aa11\\n1, GPU-bb22\\n3, GPU-cc33\\n'\n");
        smi.toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("conf/gpu-discovery.sh").toString());
        builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        builder.environment().remove("CUDA_VISIBLE_DEVICES");
        if (cudaVisibleDevices != null) {
            builder.environment().put("CUDA_VISIBLE_DEVICES", cudaVisibleDevices);
        }
        Process p = builder.redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String json = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.exitValue(), json);
        return json.replaceAll("^\\{\"name\": \"gpu\", \"addresses\": \\[(.*)\\]\\}$", "$1");
    }

    @Test
    void discoveryScriptListsTheGpusNvidiaSmiReports(@TempDir Path dir) throws Exception {
        assertEquals("\"0\",\"1\",\"3\"", discover(dir, null));
    }

    /** CUDA renumbers the GPUs CUDA_VISIBLE_DEVICES names from 0 and stops at the first it cannot find. */
    @Test
    void discoveryScriptGivesTheCudaOrdinalsOfCudaVisibleDevices(@TempDir Path dir) throws Exception {
        assertEquals("\"0\",\"1\"", discover(dir, "3,1"));
        assertEquals("\"0\"", discover(dir, "GPU-bb"), "a unique UUID prefix");
        assertEquals("\"0\"", discover(dir, "1,2,0"), "index 2 does not exist: CUDA sees only the GPUs before it");
        assertEquals("", discover(dir, ""));
        assertEquals("", discover(dir, "GPU-"), "an ambiguous prefix names no GPU");
    }

    @Test
    void discoveryScriptPrintsSparkResourceJson() throws Exception {
        String json = run(ROOT, "bash", "conf/gpu-discovery.sh").trim();
        assertTrue(json.matches("\\{\"name\": \"gpu\", \"addresses\": \\[(\"\\d+\"(,\"\\d+\")*)?\\]\\}"), json);
    }
}
