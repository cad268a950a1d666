#!/usr/bin/env bash
# Sweeps on the RTL (the paper's Fig. 8 and Fig. 11), the nine benchmark layers (uniform):
#   fifo: FIFO depth 1..256 at 64 PEs -> load-balance efficiency (ideal / cycles)
#   pe:   PE count 1..256 at FIFO 8   -> speedup over 1 PE (1..64 on the 64-PE benchmark build,
#         128 and 256 on eie_sim_pe256, which this script builds)
# Every run preloads the layer through the back door (tb/sim/backdoor.h): the 256-PE model simulates
# about 5,000 cycles/s, and the host port would take minutes to hours to write every PE's
# pointers; the regressions cover the front door.
# JSON per run in BUILD_DIR/sweep/, plots by scripts/plot_sweeps.py into docs/.
# Usage: scripts/sweep.sh [BUILD_DIR] [fifo|pe|all]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
what=${2:-all}
sim="$build/tb/eie_sim_bench"
[ -x "$sim" ] || { echo "sweep.sh: $sim not built; run 'make build' first" >&2; exit 1; }
out="$build/sweep"
mkdir -p "$out"
layers=(Alex-6 Alex-7 Alex-8 VGG-6 VGG-7 VGG-8 NT-We NT-Wd NT-LSTM)
common=(--scenario benchmark --idle 0 --backpressure 0 --seed 1 --quiet --backdoor)
if [ "$what" = fifo ] || [ "$what" = all ]; then
  for layer in "${layers[@]}"; do
    "$sim" "${common[@]}" --layer "$layer" --fifo-sweep 1,2,4,8,16,32,64,128,256 \
      --json "$out/fifo.$layer.json"
  done
fi
if [ "$what" = pe ] || [ "$what" = all ]; then
  cmake --build "$build" -j "$(nproc)" --target eie_sim_pe256 > "$out/build_pe256.log" 2>&1 ||
    { tail -20 "$out/build_pe256.log" >&2; exit 1; }
  for layer in "${layers[@]}"; do
    for pes in 1 2 4 8 16 32 64 128 256; do
      bin=$sim
      [ "$pes" -gt 64 ] && bin="$build/tb/eie_sim_pe256"
      # Large layers exceed a PE's 2^20-entry pointer range at low PE counts: the loader refuses
      # them, and the point is left out of the plot.
      if ! "$bin" "${common[@]}" --layer "$layer" --pe "$pes" --fifo 8 \
             --json "$out/pe.$layer.$pes.json" 2> "$out/pe.$layer.$pes.err"; then
        grep -q "beyond the 20-bit pointers\|SpmatDepth" "$out/pe.$layer.$pes.err" || {
          cat "$out/pe.$layer.$pes.err" >&2; exit 1; }
        echo "sweep.sh: $layer does not fit $pes PEs: $(cat "$out/pe.$layer.$pes.err")"
        rm -f "$out/pe.$layer.$pes.json"
      fi
    done
  done
fi
/usr/bin/python3 scripts/plot_sweeps.py "$out" docs
