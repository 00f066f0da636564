#!/usr/bin/env bash
# Spark resource discovery script for GPUs (spark.{driver,executor,worker}.resource.gpu.discoveryScript):
# prints {"name": "gpu", "addresses": ["0", "1", ...]}: the CUDA ordinals libtorch will accept here.
# nvidia-smi lists every GPU it can see and ignores CUDA_VISIBLE_DEVICES, while CUDA numbers only the
# GPUs that variable names (by index or UUID), from 0 and in its order, up to the first entry that
# names none. So with CUDA_VISIBLE_DEVICES set the addresses are 0..k-1 for its k valid leading
# entries. The image sets CUDA_DEVICE_ORDER=PCI_BUS_ID, so that CUDA's indices are nvidia-smi's.
set -euo pipefail
gpus=""
if command -v nvidia-smi >/dev/null 2>&1; then
  gpus=$(nvidia-smi --query-gpu=index,uuid --format=csv,noheader 2>/dev/null || true)   # "0, GPU-8932f937-..."
fi
addresses=()
if [ -z "${CUDA_VISIBLE_DEVICES+set}" ]; then
  while read -r index; do
    [ -n "$index" ] && addresses+=("$index")
  done < <(awk -F', *' '$1 ~ /^[0-9]+$/ {print $1}' <<< "$gpus")
else
  IFS=',' read -ra entries <<< "$CUDA_VISIBLE_DEVICES"
  for entry in ${entries[@]+"${entries[@]}"}; do
    entry="${entry// /}"
    # An index names the GPU with that index; anything else a UUID, or a unique prefix of one, as CUDA reads it.
    matches=$(awk -F', *' -v e="$entry" '(e ~ /^[0-9]+$/ && $1 == e) || (e !~ /^[0-9]+$/ && index($2, e) == 1)' <<< "$gpus" | wc -l)
    [ "$matches" -eq 1 ] || break
    addresses+=("${#addresses[@]}")
  done
fi
json=""
for address in ${addresses[@]+"${addresses[@]}"}; do
  json+="${json:+,}\"$address\""
done
echo "{\"name\": \"gpu\", \"addresses\": [${json}]}"
