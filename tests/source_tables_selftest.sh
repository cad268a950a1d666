#!/bin/sh
# docs.source_tables_selftest: scripts/source_tables.py --check must fail on a copy of the tree
# where a source moved and its table did not (a regression added, a build's depth changed, an RTL
# default changed), naming each, and pass on the unedited copy.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in docs/hardware.md docs/verification.md rtl/eie_top.sv tb/CMakeLists.txt \
         tb/regressions.txt synth/eie_synth.py; do
  mkdir -p "$tmp/$(dirname "$f")"
  cp "$src/$f" "$tmp/$f"
done
check() { "$src/scripts/source_tables.py" --check --root "$tmp" > "$tmp/out" 2>&1; }
check || { cat "$tmp/out"; echo "FAIL: the unedited copy does not pass"; exit 1; }

echo "extra_test eie_sim_pe1 arith --scenario rounding --seed 99" >> "$tmp/tb/regressions.txt"
sed -i 's/eie_add_sim(eie_sim_pe6 NUM_PE 6 FIFO_DEPTH 2/eie_add_sim(eie_sim_pe6 NUM_PE 6 FIFO_DEPTH 3/' \
  "$tmp/tb/CMakeLists.txt"
sed -i 's/parameter int unsigned ActDepth   = 64/parameter int unsigned ActDepth   = 128/' \
  "$tmp/rtl/eie_top.sv"
if check; then
  cat "$tmp/out"; echo "FAIL: the edited copy passes"; exit 1
fi
for want in "verification.md: table verif:configs differs" "hardware.md: table hw:builds differs" \
            "parameter ActDepth default 64, rtl/eie_top.sv has 128"; do
  grep -q "$want" "$tmp/out" || { cat "$tmp/out"; echo "FAIL: no '$want'"; exit 1; }
done
echo "PASS: the check fails on each edited source and passes on the unedited copy"
