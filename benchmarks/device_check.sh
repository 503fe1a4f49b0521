#!/usr/bin/env bash
# The GPU check, for a machine with one CUDA GPU and a torch that sees it: installs the `gpu` extra, runs the warp
# backend's tests on the GPU (physics and eyes against the CPU backend for every world, and a rollout that never makes
# the host wait for the device), the throughput benchmark, and a short Forage training run on the GPU. Figures and logs
# go to the folder OUT names (default device_check/). Meant to take about 8 minutes on one H100, the first run of
# Warp's kernel compilation included.
#
#   benchmarks/device_check.sh                      # installs from the package index
#   WHEELS=.whl benchmarks/device_check.sh          # or from a folder of wheels, on a machine without the internet
#                                                   # (pip download them for its Python; setuptools must be there)
#   DEVICE=cpu NUM_ENVS=8 TRAIN_ENVS=8 TRAIN_STEPS=2048 EVAL_ENVS=4 benchmarks/device_check.sh   # a dry run of it
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-device_check}"
PYTHON="${PYTHON:-python3}"
DEVICE="${DEVICE:-cuda}"
NUM_ENVS="${NUM_ENVS:-256 1024 4096 8192}"  # the benchmark's batch sizes on the device
TRAIN_ENVS="${TRAIN_ENVS:-1024}"
TRAIN_STEPS="${TRAIN_STEPS:-1048576}"  # 16 updates of 1024 worlds x 64 steps
EVAL_ENVS="${EVAL_ENVS:-256}"
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 MUJOCO_GL="${MUJOCO_GL:-egl}" EMBODIED_WARP_DEVICE="$DEVICE"
status=0

step() {  # step NAME SECONDS COMMAND...: run it with a time limit, its output in $OUT/NAME.log; remember a failure
    local name=$1 limit=$2
    shift 2
    echo "== $name (at most ${limit}s)"
    timeout "$limit" "$@" 2>&1 | tee "$OUT/$name.log"
    local code=${PIPESTATUS[0]}
    [ "$code" -eq 0 ] || { echo "== $name failed ($code)"; status=1; }
}

if [ -n "${WHEELS:-}" ]; then
    step install 120 "$PYTHON" -m pip install -q --no-index --find-links "$WHEELS" --no-build-isolation -e ".[gpu]" \
        pytest pytest-timeout
else
    step install 240 "$PYTHON" -m pip install -q -e ".[gpu]" pytest pytest-timeout
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/gpu.csv" 2>&1
# The physics and eyes of a critter that glides, one that falls (and the glass), and the quadruped on flat and rough
# ground; then a rollout under torch's sync debugging.
step tests 240 "$PYTHON" -m pytest -q -p no:cacheprovider tests/envs/test_warp_parity.py \
    tests/embodied/test_device_rollout.py -k "match_on_the_device and (Forage or Walk or VisualCliff) or on_a_gpu"
step throughput 180 "$PYTHON" benchmarks/gpu_throughput.py --device "$DEVICE" --num-envs $NUM_ENVS --seconds 3 \
    --out "$OUT/throughput.json"
step train 150 "$PYTHON" -m embodied.cli train configs/forage.yaml device="$DEVICE" world.backend=warp \
    world.num_envs="$TRAIN_ENVS" eval.num_envs="$EVAL_ENVS" train.total_steps="$TRAIN_STEPS" \
    train.eval_every=$((TRAIN_STEPS / 4)) train.checkpoint_every="$TRAIN_STEPS" run_dir="$OUT/runs" name=forage_gpu \
    --no-video
cp "$OUT"/runs/forage_gpu/summary.json "$OUT/train_summary.json" 2>/dev/null || true
echo "== figures in $OUT: gpu.csv, throughput.json, train_summary.json and a log per step"
exit $status
