#!/usr/bin/env bash
# Energy per inference from the RTL's activity (docs/energy.md):
#  1. the logic's energy per action and clock energy per flop: gate-level power of the small
#     configuration's netlist with the activity of its gate-level simulation (synth/eie_power.py);
#  2. the RTL's activity counts: the nine EIE benchmark layers on the 64-PE benchmark build (the
#     uniform variant of `make bench`, FIFO 8), LeNet-300-100 on MNIST test digits and the
#     trained LSTM's gate layer (one run per step) on the main build, each run's counts checked
#     against the golden model by eie_sim;
#  3. the energy model (energy/eie_energy.py) at the paper's per-PE memory sizes and at the
#     builds' own, with the CPU baselines of `make bench` when present.
# Writes BUILD_DIR/energy/: energy.txt, .json, .md, .png (and build/ for the builds' own
# memory sizes), the runs' JSON and the power report.
# Usage: scripts/energy.sh [BUILD_DIR] [DIGITS]   DIGITS: MNIST test digits (default 200)
# UPDATE_DOCS=1 also rewrites the tables of docs/energy.md (between its energy: markers).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
digits=${2:-200}
out="$build/energy"
for b in "$build/tb/eie_sim_bench" "$build/tb/eie_sim" "$build/tb/eie_sim_gate"; do
  [ -x "$b" ] || { echo "energy.sh: $b not built; run 'make build' first" >&2; exit 1; }
done
# The power column's clock: the measured fmax of `make timing` (64 PEs), else the paper's 800 MHz.
# docs/energy.md quotes the measured one, so UPDATE_DOCS=1 needs it.
summary=synth/reports/timing/summary.json
timing=()
if [ -s "$summary" ]; then
  timing=(--timing "$summary")
elif [ "${UPDATE_DOCS:-0}" = 1 ]; then
  echo "energy.sh: UPDATE_DOCS=1 needs $summary (make timing): docs/energy.md quotes power at" \
       "the measured clock" >&2
  exit 1
else
  echo "energy.sh: no $summary (make timing), so power is at the paper's 800 MHz"
fi
mkdir -p "$out"
# Debian's python3 has matplotlib (scripts/setup.sh); a python3 earlier on PATH may not.
py=python3
python3 -c "import matplotlib" 2> /dev/null || py=/usr/bin/python3
echo "== Gate-level power of the small configuration (OpenSTA, activity from simulation)"
"$py" synth/eie_power.py --sim "$build/tb/eie_sim_gate" --netlist "$build/tb/gate/netlist.v" \
  --out "$out/power" | tail -n 12
layers=(Alex-6 Alex-7 Alex-8 VGG-6 VGG-7 VGG-8 NT-We NT-Wd NT-LSTM)
runs=()
for layer in "${layers[@]}"; do
  "$build/tb/eie_sim_bench" --scenario benchmark --layer "$layer" --fifo 8 --idle 0 \
    --backpressure 0 --seed 1 --quiet --backdoor --json "$out/$layer.json"
  runs+=("$out/$layer.json")
done
model="$build/lenet/lenet-300-100.eie"
[ -s "$model" ] || scripts/demo.sh "$build" 20 > "$out/demo.log"
"$build/tb/eie_sim" --model "$model" --mnist data/mnist --limit "$digits" --idle 0 \
  --backpressure 0 --quiet --json "$out/LeNet-300-100.json"
runs+=("$out/LeNet-300-100.json")
# The LSTM of `make lstm` (seed 1; trained here if absent): its gate layer's runs, one per step
# of DIGITS/10 digits, priced as runs of their own (MNIST-LSTM-step).
lstm="$build/lstm/0.1,0.5/seed1.eie"
[ -s "$lstm" ] || scripts/mnist_arch.py --arch lstm --seeds 1 --digits 0 --build-dir "$build" \
  > "$out/lstm.log"
"$build/tb/eie_sim" --model "$lstm" --mnist data/mnist --limit "$(((digits + 9) / 10))" \
  --idle 0 --backpressure 0 --quiet --backdoor --json "$out/LSTM.json"
"$py" - "$out/LSTM.json" "$out/MNIST-LSTM-step.json" << 'EOF'
import json
import sys
whole = json.load(open(sys.argv[1]))
gates = next(s for s in whole["segments"] if s["kind"] == "LSTM")
run = {"variant": whole["variant"], "config": whole["config"], "inferences": gates["runs"],
       "run_cycles": gates["cycles"], "activity": gates["activity"]}
json.dump(run, open(sys.argv[2], "w"), indent=1)
EOF
runs+=("$out/MNIST-LSTM-step.json")
cpu=()
[ -s "$build/bench/cpu.json" ] && cpu=(--cpu "$build/bench/cpu.json")
echo
doc=()
[ "${UPDATE_DOCS:-0}" = 1 ] && doc=(--doc docs/energy.md)
"$py" energy/eie_energy.py --power "$out/power/power.json" "${timing[@]}" "${cpu[@]}" "${doc[@]}" \
  --table2-run Alex-6 --out "$out" --plot "$out/energy.png" "${runs[@]}" | tee "$out/energy.txt"
echo
mkdir -p "$out/build"
"$py" energy/eie_energy.py --power "$out/power/power.json" "${timing[@]}" "${doc[@]}" \
  --mem-config build --table2-run Alex-6 --out "$out/build" "${runs[@]}" > "$out/build/energy.txt"
echo "energy.sh: tables, JSON and plot in $out/ (the builds' own memory sizes in $out/build/)"
