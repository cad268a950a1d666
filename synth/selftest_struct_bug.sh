#!/usr/bin/env bash
# Shows that eie_synth.py's flop check catches Yosys 0.23's silent bug with arrays of packed
# structs (../shared/TOOLCHAIN.md): a copy of the RTL whose FIFO storage is rewritten as
# `entry_t mem_q [Depth]` synthesises to 18 instead of 458 flops, and the check must fail on it.
# Usage: synth/selftest_struct_bug.sh WORK_DIR     (exit 0 when the check caught it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:?usage: $0 WORK_DIR}
rm -rf "$work" && mkdir -p "$work"
cp -r "$root/rtl" "$root/synth" "$work/"
fifo="$work/rtl/eie_fifo.sv"
sed -i -e 's/^  logic \[Width-1:0\] mem_q \[Depth\];/  typedef struct packed { logic [Width-1:0] data; } entry_t;\n  entry_t mem_q [Depth];/' "$fifo"
grep -q 'entry_t mem_q' "$fifo" || { echo "selftest: FIFO storage not found in $fifo" >&2; exit 1; }
if "$work/synth/eie_synth.py" --out "$work/reports" > "$work/out.txt" 2>&1; then
  cat "$work/out.txt"
  echo "selftest: FAIL: the flop check passed a design with the struct-array bug" >&2
  exit 1
fi
grep 'CHECK FAILED: eie_fifo' "$work/out.txt" ||
  { cat "$work/out.txt"; echo "selftest: FAIL: no eie_fifo flop failure reported" >&2; exit 1; }
echo "selftest: the flop check caught the struct-array bug"
