#!/usr/bin/env bash
# The GPU check, for a machine with one CUDA GPU and a torch that sees it: installs the `gpu` extra, runs the warp
# backend's tests on the GPU (physics and eyes against the CPU backend for every world, and a rollout that never makes
# the host wait for the device), the throughput benchmark, and a short Forage training run on the GPU. Figures and logs
# go to the folder OUT names (default device_check/). Meant to take about 8 minutes on one H100, the first run of
# Warp's kernel compilation included.
#
#   benchmarks/device_check.sh                      # installs from the package index
#   WHEELS=.whl benchmarks/device_check.sh          # or from a folder of wheels, on a machine without the internet
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-device_check}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 MUJOCO_GL="${MUJOCO_GL:-egl}" EMBODIED_WARP_DEVICE=cuda
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
    step install 120 "$PYTHON" -m pip install -q --no-index --find-links "$WHEELS" -e ".[gpu]" pytest pytest-timeout
else
    step install 240 "$PYTHON" -m pip install -q -e ".[gpu]" pytest pytest-timeout
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/gpu.csv" 2>&1
step tests 200 "$PYTHON" -m pytest -q -p no:cacheprovider tests/envs/test_warp_parity.py -k device \
    tests/embodied/test_device_rollout.py
step throughput 180 "$PYTHON" benchmarks/gpu_throughput.py --seconds 3 --out "$OUT/throughput.json"
step train 150 "$PYTHON" -m embodied.cli train configs/forage.yaml --no-video device=cuda world.backend=warp \
    world.num_envs=1024 eval.num_envs=256 train.total_steps=1048576 train.eval_every=262144 \
    train.checkpoint_every=1048576 run_dir="$OUT/runs" name=forage_gpu
cp "$OUT"/runs/forage_gpu/summary.json "$OUT/train_summary.json" 2>/dev/null || true
echo "== figures in $OUT: gpu.csv, throughput.json, train_summary.json and a log per step"
exit $status
