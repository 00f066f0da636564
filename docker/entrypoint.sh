#!/usr/bin/env bash
# The image's roles (no Spark distribution, so no spark-class: each role is one java command):
#   master | worker MASTER_URL [OPTIONS] | history   a standalone cluster (docker-compose.yml);
#   tw SUBCOMMAND ARGS...                            the CLI, e.g. tw run --master spark://spark-master:7077 ...;
#   submit ARGS...                                   spark-submit (e.g. --master k8s://... or yarn);
#   driver ARGS... | executor                        what Spark on Kubernetes starts in its pods.
# SPARK_MASTER_OPTS / SPARK_WORKER_OPTS / SPARK_HISTORY_OPTS / SPARK_SUBMIT_OPTS add JVM options to their role.
set -euo pipefail

flags=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector)
for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
           java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  flags+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
done
flags+=(--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true
        --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true)

# libtorch lies in DJL's cache (docker/fill-djl-cache.sh); its flavor tells DJL to take it from there.
if [ -z "${PYTORCH_FLAVOR:-}" ] && [ -f "${DJL_CACHE_DIR:-/opt/djl-cache}/pytorch-flavor" ]; then
  PYTORCH_FLAVOR=$(cat "${DJL_CACHE_DIR:-/opt/djl-cache}/pytorch-flavor")
  export PYTORCH_FLAVOR
fi

conf_dir="${SPARK_CONF_DIR:-$SPARK_HOME/conf}"
spark_cp="$conf_dir:$SPARK_HOME/jars/*"
app_jar="$TW_HOME/traveling-words-app.jar"

# The JVM options Spark on Kubernetes hands an executor as SPARK_JAVA_OPT_0, SPARK_JAVA_OPT_1, ...
kubernetes_java_opts() {
  local name
  for name in $(compgen -v SPARK_JAVA_OPT_ | sort -t_ -k4 -n); do
    printf '%s\0' "${!name}"
  done
}

role="${1:-help}"
shift || true
case "$role" in
  master)
    # shellcheck disable=SC2086
    exec java "${flags[@]}" ${SPARK_MASTER_OPTS:-} -cp "$spark_cp" org.apache.spark.deploy.master.Master \
      --host "$(hostname)" --port 7077 --webui-port 8080 "$@" ;;
  worker)
    # shellcheck disable=SC2086
    exec java "${flags[@]}" ${SPARK_WORKER_OPTS:-} -cp "$spark_cp" org.apache.spark.deploy.worker.Worker \
      --cores "${WORKER_CORES:-4}" --memory "${WORKER_MEMORY:-16g}" --work-dir "${WORKER_DIR:-/tmp/spark-work}" "$@" ;;
  history)
    # shellcheck disable=SC2086
    exec java "${flags[@]}" ${SPARK_HISTORY_OPTS:-} -cp "$spark_cp" org.apache.spark.deploy.history.HistoryServer "$@" ;;
  tw)
    exec java "${flags[@]}" -Xmx"${TW_DRIVER_MEMORY:-6g}" -cp "$app_jar:$spark_cp" org.travelingwords.cli.TwCommand "$@" ;;
  submit)
    # shellcheck disable=SC2086
    exec java "${flags[@]}" ${SPARK_SUBMIT_OPTS:-} -cp "$spark_cp" org.apache.spark.deploy.SparkSubmit "$@" ;;
  driver)
    # Kubernetes cluster mode: the driver pod runs spark-submit in client mode on the pod's address.
    exec java "${flags[@]}" -XX:MaxRAMPercentage=75 -cp "$spark_cp" org.apache.spark.deploy.SparkSubmit \
      --conf "spark.driver.bindAddress=${SPARK_DRIVER_BIND_ADDRESS:?}" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=${SPARK_DRIVER_BIND_ADDRESS}" \
      --deploy-mode client "$@" ;;
  executor)
    mapfile -d '' k8s_opts < <(kubernetes_java_opts)
    exec java "${flags[@]}" "${k8s_opts[@]}" -Xms"${SPARK_EXECUTOR_MEMORY:?}" -Xmx"${SPARK_EXECUTOR_MEMORY}" \
      -cp "$spark_cp${SPARK_CLASSPATH:+:$SPARK_CLASSPATH}" org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "${SPARK_DRIVER_URL:?}" --executor-id "${SPARK_EXECUTOR_ID:?}" --cores "${SPARK_EXECUTOR_CORES:?}" \
      --app-id "${SPARK_APPLICATION_ID:?}" --hostname "${SPARK_EXECUTOR_POD_IP:?}" \
      --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}" --podName "${SPARK_EXECUTOR_POD_NAME:?}" ;;
  *)
    echo "usage: master | worker spark://HOST:7077 | history | tw SUBCOMMAND ARGS... | submit ARGS... | driver ARGS... | executor" >&2
    [ "$role" = help ] && exit 0
    exit 2 ;;
esac
