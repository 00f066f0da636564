#!/usr/bin/env bash
# The GPU check (issues 16 and 17): proves the GPU path step by step and stops at the first step that fails.
# Each step prints one line, "ok N STEP: what it saw" or "FAILED N STEP: why" (the step's log tail follows
# on stderr); every step's full output stays in the work folder.
#
#   tools/gpu-check.sh                                      # a checkout built with -Pcuda (bin/tw)
#   docker compose run --rm --entrypoint /opt/traveling-words/tools/gpu-check.sh spark-worker-1   # the image
#
# Environment: TW (the tw command; default the image's entrypoint "tw" role, else bin/tw), TW_SMOKE_DIR (work
# folder; default a new temporary one), TW_SMOKE_MODEL (default: a random GPT-2-124M-shaped model made here;
# give a real checkpoint such as gpt2 to see real residuals, and loosen TW_SMOKE_HOOK_TOLERANCE with it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${TW:-}" ]; then
  if [ -x "$root/entrypoint.sh" ]; then TW="$root/entrypoint.sh tw"; else TW="$root/bin/tw"; fi
fi
read -ra tw <<< "$TW"
work="${TW_SMOKE_DIR:-$(mktemp -d -t tw-gpu-check.XXXXXX)}"
mkdir -p "$work"
hook_tolerance="${TW_SMOKE_HOOK_TOLERANCE:-1e-4}"
# fp16 against fp32 tables (README, "GPUs"): sphere_stats means within 2% (or 0.02 where |mean| < 1),
# head_stats entropy means within 0.05 nats.
sphere_tolerance=0.02
entropy_tolerance=0.05
steps=0

# step NAME FUNCTION: runs FUNCTION with errexit in a subshell, its output in $log; its last line is the summary.
# (errexit is off inside an if or || list, so the subshell must run as a plain command.)
step() {
  local name=$1 rc
  steps=$((steps + 1))
  log="$work/$(printf '%02d' "$steps")-$name.log"
  set +e
  (set -e; "$2") > "$log" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    echo "FAILED $steps $name: $(tail -n 1 "$log") (exit $rc; log $log)"
    tail -n 20 "$log" | sed 's/^/  | /' >&2
    exit 1
  fi
  echo "ok $steps $name: $(tail -n 1 "$log")"
}

fail() { echo "$*"; exit 1; }

nvidia_smi() {
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader
  echo "$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l) GPU(s); first: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -n 1)"
}

discovery() {
  json=$(bash "$root/conf/gpu-discovery.sh")
  grep -q '"addresses": \["' <<< "$json" || fail "no GPU address in $json"
  echo "$json"
}

engine() {
  "${tw[@]}" devices | tee "$work/devices.txt"
  line=$(grep '^engine ' "$work/devices.txt")
  grep -q 'cuda_build=true' <<< "$line" || fail "not a CUDA build: $line"
  grep -Eq 'gpus=[1-9]' <<< "$line" || fail "the engine sees no GPU: $line"
  if [ -n "${DJL_CACHE_DIR:-}" ]; then
    grep -q "libtorch=$DJL_CACHE_DIR/" <<< "$line" || fail "libtorch is not the image's cached one in $DJL_CACHE_DIR: $line"
  fi
  if grep -q 'Extracting' "$work/devices.txt"; then fail "libtorch was extracted at run time"; fi
  echo "$line"
}

gpu0() {
  grep -F 'device gpu(0): matmul ok, fp16 cast ok' "$work/devices.txt" || fail "$(grep -F 'device gpu(0)' "$work/devices.txt" || echo 'gpu(0) not checked')"
}

model() {
  if [ -n "${TW_SMOKE_MODEL:-}" ]; then
    echo "$TW_SMOKE_MODEL" > "$work/model-name"
  else
    "${tw[@]}" make-model --out "$work/model" --layers 12 --heads 12 --d-model 768 --vocab 50257 --positions 1024
    echo "$work/model" > "$work/model-name"
  fi
  echo "model $(cat "$work/model-name")"
}

hooks() {
  local m names=blocks.*.hook_resid_post,blocks.*.ln1.hook_normalized,blocks.*.attn.hook_pattern
  m=$(cat "$work/model-name")
  "${tw[@]}" hooks --model "$m" --device cpu --names "$names" --text "The cat sat on the mat." --text "To kill two birds" \
    --out "$work/hooks-cpu.safetensors"
  "${tw[@]}" hooks --model "$m" --device gpu --names "$names" --text "The cat sat on the mat." --text "To kill two birds" \
    --out "$work/hooks-gpu.safetensors" --compare "$work/hooks-cpu.safetensors" --tolerance "$hook_tolerance"
  echo "every hook on gpu(0) within $hook_tolerance of the CPU's (worst: $(grep '^compare ' "$log" | sort -t= -k2 -g | tail -n 1))"
}

run_on_gpu() { # PRECISION RUN_DATE
  "${tw[@]}" run --model "$(cat "$work/model-name")" --device gpu --precision "$1" --run-date "$2" \
    --analyses sphere,heads --out "$work/out" --no-report
}

run_fp32() { run_on_gpu fp32 2001-01-01 | grep '^run '; }
run_fp16() { run_on_gpu fp16 2001-01-02 | grep '^run '; }

sql() {
  "${tw[@]}" sql --out "$work/out" --format csv "$1" | tail -n 1
}

tables() {
  sphere=$(sql "SELECT count(*), max(abs(a.mean - b.mean) / greatest(abs(a.mean), 1.0)) FROM sphere_stats a
    JOIN sphere_stats b ON a.layer = b.layer AND a.site = b.site AND a.metric = b.metric AND a.position_bucket = b.position_bucket
    WHERE CAST(a.run_date AS STRING) = '2001-01-01' AND CAST(b.run_date AS STRING) = '2001-01-02' AND a.position_bucket = 'all'")
  entropy=$(sql "SELECT count(*), max(abs(a.mean - b.mean)) FROM head_stats a
    JOIN head_stats b ON a.layer = b.layer AND a.head = b.head AND a.metric = b.metric AND a.position_bucket = b.position_bucket
    WHERE CAST(a.run_date AS STRING) = '2001-01-01' AND CAST(b.run_date AS STRING) = '2001-01-02'
      AND a.metric = 'entropy' AND a.position_bucket = 'all'")
  echo "sphere_stats (rows, worst relative difference): $sphere; head_stats entropy (rows, worst difference): $entropy"
  awk -F, -v s="$sphere_tolerance" '$1 > 0 && $2 <= s {ok = 1} END {exit !ok}' <<< "$sphere" \
    || fail "fp16 sphere_stats beyond $sphere_tolerance of fp32: $sphere"
  awk -F, -v s="$entropy_tolerance" '$1 > 0 && $2 <= s {ok = 1} END {exit !ok}' <<< "$entropy" \
    || fail "fp16 head entropy beyond $entropy_tolerance nats of fp32: $entropy"
  echo "fp16 within tolerance of fp32: sphere $sphere, entropy $entropy"
}

# ~2M tokens in one document and one partition, all in one batch: its attention scores alone need far more
# than any GPU's memory, so the run must halve the batch until it fits, and finish.
oversized_batch() {
  mkdir -p "$work/big"
  for _ in $(seq 1 550); do cat "$root/conf/sample-corpus/notes.lines"; done > "$work/big/corpus.txt"
  "${tw[@]}" run --model "$(cat "$work/model-name")" --device gpu --corpus "$work/big" --max-doc-chars 100000000 \
    --partitions 1 --batch-tokens 2000000000 --analyses sphere --out "$work/out-oom" --no-report > "$work/oom.txt" 2>&1 \
    || { tail -n 5 "$work/oom.txt"; fail "tw run with an oversized batch failed"; }
  grep -m 1 'device out of memory on a batch of' "$work/oom.txt" || fail "no halving logged: the batch fitted"
  grep '^run ' "$work/oom.txt"
}

bench() {
  local summary=""
  for precision in fp32 fp16; do
    "${tw[@]}" bench --device gpu --precision "$precision" > "$work/bench-$precision.txt" 2>&1 \
      || { tail -n 5 "$work/bench-$precision.txt"; fail "tw bench --device gpu --precision $precision failed"; }
    grep '^bench ' "$work/bench-$precision.txt"
    summary+=" $precision $(grep -m 1 '^bench forward_nologits' "$work/bench-$precision.txt" | grep -o 'tokens_per_s=[0-9.]*')"
  done
  echo "bench forward_nologits on the GPU:$summary"
}

step nvidia-smi nvidia_smi
step discovery discovery
step engine engine
step gpu0 gpu0
step model model
step hooks hooks
step run-fp32 run_fp32
step run-fp16 run_fp16
step tables tables
step oversized-batch oversized_batch
step bench bench
echo "all $steps steps passed; logs in $work"
