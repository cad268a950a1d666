#!/usr/bin/env bash
# The EIE benchmark suite on the RTL: the paper's nine layers (EIE Table III), each as a uniform
# and a skewed (log-normal row density) seeded synthetic layer, each also with compile-time row
# balancing, on the 64-PE benchmark build with FIFO depth 8, every output checked against the
# golden model; layers preloaded through the back door (tb/sim/backdoor.h: the same cycles, without
# the host-port load; the regressions cover the front door), with the build's hold slots and
# without (the paper's broadcast). Then the table beside the paper's
# EIE times (scripts/bench_table.js): text on stdout, JSON and Markdown in BUILD_DIR/bench/; then
# the energy of each layer (BUILD_DIR/bench/energy/, docs/energy.md).
# Usage: [UPDATE_DOCS=1] scripts/bench.sh [BUILD_DIR]   (UPDATE_DOCS=1: docs/benchmarks.md's tables too)
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
    [[ "$variant" == *+balanced ]] && flags+=(--balance --order-inputs)
    "$sim" --scenario benchmark --layer "$layer" "${flags[@]}" --fifo 8 --idle 0 \
      --backpressure 0 --seed 1 --quiet --backdoor --json "$out/$layer.$variant.json"
    # The paper's broadcast, which stalls while any PE's FIFO is full: no hold slots.
    "$sim" --scenario benchmark --layer "$layer" "${flags[@]}" --fifo 8 --hold 0 --idle 0 \
      --backpressure 0 --seed 1 --quiet --backdoor --json "$out/$layer.$variant.hold0.json"
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
# UPDATE_DOCS=1: docs/benchmarks.md's tables (between its bench: markers) from what this run wrote.
# The clock table needs static timing (`make timing`); without it the other three are updated
# and the clock table is left as it is, with a note.
if [ "${UPDATE_DOCS:-0}" = 1 ]; then
  tables=(bench:main="$out/bench.md" bench:breakdown="$out/breakdown.md" bench:floor="$out/floor.md"
          bench:hold="$out/hold.md")
  if [ -f "$out/clock.md" ]; then
    tables+=(bench:clock="$out/clock.md")
  else
    echo "bench: no timing summary, so docs/benchmarks.md's clock table is left as it is" \
         "(make timing, then make bench UPDATE_DOCS=1 again, updates it)"
  fi
  scripts/update_doc_tables.py docs/benchmarks.md "${tables[@]}"
fi
# Energy of the uniform runs (docs/energy.md): the logic's calibration from the gate-level power
# of the small netlist, when its simulation is built (EIE_GATE_SIM), then the energy model at the
# paper's memory sizes; `make energy` adds LeNet-300-100 and the plot.
if [ -x "$build/tb/eie_sim_gate" ]; then
  py=python3
  python3 -c "import matplotlib" 2> /dev/null || py=/usr/bin/python3
  "$py" synth/eie_power.py --sim "$build/tb/eie_sim_gate" --netlist "$build/tb/gate/netlist.v" \
    --out "$out/power" > /dev/null
  cpu_json=()
  [ -s "$out/cpu.json" ] && cpu_json=(--cpu "$out/cpu.json")
  uniform=()
  for layer in "${layers[@]}"; do uniform+=("$out/$layer.uniform.json"); done
  # The power column's clock: the measured fmax of `make timing`, else the paper's 800 MHz.
  timing=()
  if [ -s synth/reports/timing/summary.json ]; then
    timing=(--timing synth/reports/timing/summary.json)
  else
    echo "bench: no static timing (make timing), so energy's power column is at 800 MHz"
  fi
  echo
  "$py" energy/eie_energy.py --power "$out/power/power.json" "${cpu_json[@]}" "${timing[@]}" \
    --table2-run Alex-6.uniform --out "$out/energy" "${uniform[@]}"
fi
