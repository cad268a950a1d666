#!/usr/bin/env bash
# The EIE benchmark suite on the RTL: the paper's nine layers (EIE Table III), each as a uniform
# and a skewed (log-normal row density) seeded synthetic layer, each also with compile-time row
# balancing, on the 64-PE benchmark build with FIFO depth 8, every output checked against the
# golden model; layers preloaded through the back door (tb/backdoor.h: the same cycles, without
# the host-port load; the regressions cover the front door). Then the table beside the paper's
# EIE times (scripts/bench_table.js): text on stdout, JSON and Markdown in BUILD_DIR/bench/.
# Usage: scripts/bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sim="$build/tb/eie_sim_bench"
[ -x "$sim" ] || { echo "bench.sh: $sim not built; run 'make build' first" >&2; exit 1; }
out="$build/bench"
mkdir -p "$out"
layers=(Alex-6 Alex-7 Alex-8 VGG-6 VGG-7 VGG-8 NT-We NT-Wd NT-LSTM)
for layer in "${layers[@]}"; do
  for variant in uniform skewed uniform+balanced skewed+balanced; do
    flags=()
    [[ "$variant" == skewed* ]] && flags+=(--skewed)
    [[ "$variant" == *+balanced ]] && flags+=(--balance)
    "$sim" --scenario benchmark --layer "$layer" "${flags[@]}" --fifo 8 --idle 0 \
      --backpressure 0 --seed 1 --quiet --backdoor --json "$out/$layer.$variant.json"
  done
done
# Simulation speed: ten inferences of Alex-6, so that compute cycles dominate the run.
"$sim" --scenario benchmark --layer Alex-6 --fifo 8 --idle 0 --backpressure 0 --seed 1 --quiet \
  --backdoor --inferences 10 --json "$out/speed.json"
# CPU baselines at batch 1, one thread (OpenBLAS GEMV, Eigen CSR SpMV, the golden kernel).
cpu="$build/golden/eie_cpu_baselines"
if [ -x "$cpu" ]; then
  OPENBLAS_NUM_THREADS=1 "$cpu" --benchmark_min_time=0.2 --benchmark_out="$out/cpu.json" \
    --benchmark_out_format=json > "$out/cpu.txt"
fi
node scripts/bench_table.js "$out" "${layers[@]}" --timing synth/reports/timing/summary.json
