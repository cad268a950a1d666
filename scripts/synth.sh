#!/usr/bin/env bash
# Synthesises eie_top with Yosys onto the OSU 0.18 um standard cells and prints its logic area
# per module (memories are black boxes, listed with their bit counts).
# Usage: scripts/synth.sh [OUT_DIR] [NAME=VALUE ...]   e.g. scripts/synth.sh build/synth NumPe=4
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/synth}
shift || true
lib=/usr/share/qflow/tech/osu018/osu018_stdcells.lib
[ -f "$lib" ] || { echo "synth.sh: $lib missing; run scripts/setup.sh" >&2; exit 1; }
command -v yosys >/dev/null || { echo "synth.sh: yosys missing; run scripts/setup.sh" >&2; exit 1; }

# Default: a small configuration that synthesises in about a minute on 2 cores.
declare -A params=([NumPe]=4 [FifoDepth]=8 [SpmatDepth]=64 [PtrDepth]=64 [ActDepth]=16
                   [BiasDepth]=32 [MaxLayers]=4)
for kv in "$@"; do
  [[ "$kv" == *=* ]] || { echo "synth.sh: expected NAME=VALUE, got '$kv'" >&2; exit 2; }
  params[${kv%%=*}]=${kv#*=}
done
chparams=""
for k in "${!params[@]}"; do chparams+=" -chparam $k ${params[$k]}"; done

mkdir -p "$out"
rtl=$(grep -v -e '^#' -e 'eie_ram.sv' rtl/eie.f | tr '\n' ' ')
sed -e "s|@RTL@|$rtl|" -e "s|@PARAMS@|$chparams|" -e "s|@LIB@|$lib|g" \
    -e "s|@REPORT@|$out/area.txt|" synth/eie_synth.ys > "$out/eie_synth.ys"
echo "synth.sh: yosys on$chparams (log: $out/yosys.log)"
yosys -q -l "$out/yosys.log" -s "$out/eie_synth.ys"
echo "synth.sh: area report in $out/area.txt"
grep -E "Chip area" "$out/area.txt" | sed -e 's/\$paramod\$[0-9a-f]*\\//' -e "s/'//g"

# SRAM macros (black boxes above), in bits: per PE sparse matrix, pointers, bias, accumulators
# and two activation banks; in the CCU the layer table and codebooks.
p() { echo "${params[$1]}"; }
pe_bits=$(( 64 * $(p SpmatDepth) + 20 * $(p PtrDepth) + 32 * $(p BiasDepth) + 32 * $(p ActDepth) + 2 * 16 * $(p ActDepth) ))
ccu_bits=$(( 64 * 2 * $(p MaxLayers) + 16 * 16 * $(p MaxLayers) ))
echo "SRAM bits: $pe_bits per PE x $(p NumPe) PEs + $ccu_bits in the CCU = $(( pe_bits * $(p NumPe) + ccu_bits ))"
