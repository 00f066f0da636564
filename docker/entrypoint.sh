#!/usr/bin/env bash
# Container roles: master | worker MASTER_URL | history | tw ARGS... (a tw subcommand, e.g. tw run ...).
set -euo pipefail
flags=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector)
for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
           java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  flags+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
done
flags+=(--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true
        --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true)
spark_cp="$SPARK_HOME/conf:$SPARK_HOME/jars/*"
role="${1:-help}"; shift || true
case "$role" in
  master)  exec java "${flags[@]}" -cp "$spark_cp" org.apache.spark.deploy.master.Master --host "$(hostname)" --port 7077 --webui-port 8080 ;;
  worker)  exec java "${flags[@]}" -cp "$spark_cp" org.apache.spark.deploy.worker.Worker \
             --cores "${WORKER_CORES:-4}" --memory "${WORKER_MEMORY:-16g}" --work-dir /tmp/spark-work "$@" ;;
  history) exec java "${flags[@]}" -cp "$spark_cp" org.apache.spark.deploy.history.HistoryServer ;;
  tw)      exec java "${flags[@]}" -Xmx"${TW_DRIVER_MEMORY:-6g}" -cp "$TW_HOME/traveling-words-app.jar:$spark_cp" \
             org.travelingwords.cli.TwCommand "$@" ;;
  *)       echo "usage: master | worker spark://HOST:7077 | history | tw SUBCOMMAND ARGS..." >&2; exit 2 ;;
esac
