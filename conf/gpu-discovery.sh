#!/usr/bin/env bash
# Spark resource discovery script for GPUs (spark.{driver,executor,worker}.resource.gpu.discoveryScript):
# prints {"name": "gpu", "addresses": ["0", "1", ...]} from nvidia-smi, or no addresses without one.
set -euo pipefail
addresses=""
if command -v nvidia-smi >/dev/null 2>&1; then
  addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null | sed 's/[^0-9]//g' | sed '/^$/d' \
              | sed 's/.*/"&"/' | paste -sd, -)
fi
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
