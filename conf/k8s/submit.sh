#!/usr/bin/env bash
# tw run on Kubernetes, cluster mode, GPU executors. The image is docker/Dockerfile's (it holds Spark's
# jars, including spark-kubernetes, and the application jar); no Spark distribution is needed here
# either: run this inside the image, or with a SPARK_HOME whose jars/ holds the same jars.
# The pods read the model from the Hugging Face cache claim (conf/k8s/hf-cache-pvc.yaml, mounted read-only at
# /data/hf) and the corpus and tables through HDFS: the image has no hadoop-aws (S3A) in its jars.
#   K8S_API=https://my-cluster:6443 IMAGE=registry.example/traveling-words:gpu conf/k8s/submit.sh \
#     --corpus hdfs://namenode:8020/corpora/web/ --model gpt2 --out hdfs://namenode:8020/tw-out/
# memoryOverhead: the pod's memory beyond the heap; a GPU executor's CUDA context, libtorch's CUDA libraries
# (cuBLAS, cuDNN) and pinned buffers take a few GB of it, more than Spark's default 10% of the heap.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${K8S_API:?set K8S_API to the Kubernetes API server URL}"
: "${IMAGE:?set IMAGE to the traveling-words image}"
exec java -cp "${SPARK_HOME:-/opt/spark}/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "k8s://$K8S_API" --deploy-mode cluster --name traveling-words \
  --class org.travelingwords.cli.TwCommand \
  --conf spark.kubernetes.container.image="$IMAGE" \
  --conf spark.kubernetes.namespace="${NAMESPACE:-default}" \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName="${SERVICE_ACCOUNT:-spark}" \
  --conf spark.kubernetes.driver.podTemplateFile="$here/driver-pod-template.yaml" \
  --conf spark.kubernetes.executor.podTemplateFile="$here/executor-pod-template.yaml" \
  --conf spark.executor.instances="${EXECUTORS:-4}" \
  --conf spark.executor.cores=8 --conf spark.task.cpus=8 --conf spark.executor.memory=24g \
  --conf spark.executor.memoryOverhead=6g \
  --conf spark.executor.resource.gpu.amount=1 --conf spark.task.resource.gpu.amount=1 \
  --conf spark.executor.resource.gpu.vendor=nvidia.com \
  --conf spark.executor.resource.gpu.discoveryScript=/opt/traveling-words/conf/gpu-discovery.sh \
  --conf spark.executorEnv.DJL_CACHE_DIR=/opt/djl-cache \
  local:///opt/traveling-words/traveling-words-app.jar \
  run --partitions "${PARTITIONS:-64}" "$@"
