#!/usr/bin/env bash
# Checks that every signal a GTKWave save file shows exists in an FST trace (signal names move
# when the RTL changes, and GTKWave silently drops the missing ones).
# Usage: scripts/check_gtkw.sh TRACE.fst SAVE.gtkw
set -euo pipefail
trace=${1:?usage: check_gtkw.sh TRACE.fst SAVE.gtkw}
save=${2:?usage: check_gtkw.sh TRACE.fst SAVE.gtkw}
[ -f "$trace" ] || { echo "check_gtkw: $trace missing (run the trace regression first)" >&2; exit 1; }
names=$(mktemp)
trap 'rm -f "$names"' EXIT
# Hierarchical names of every variable: scopes joined with dots, as GTKWave writes them.
fst2vcd "$trace" 2>/dev/null |
  awk '/^\$scope/ {s[++d] = $3} /^\$upscope/ {d--}
       /^\$var/ {n = s[1]; for (i = 2; i <= d; i++) n = n "." s[i]; print n "." $5}' |
  sort -u > "$names"
[ -s "$names" ] || { echo "check_gtkw: no signals read from $trace" >&2; exit 1; }
missing=0
shown=0
while read -r sig; do
  shown=$((shown + 1))
  name=$(sed -E 's/\[[0-9]+:[0-9]+\]$//' <<< "$sig")  # drop a bus's trailing [msb:lsb]
  grep -qxF "$name" "$names" || { echo "check_gtkw: $save shows $sig, not in $trace"; missing=1; }
done < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*\.' "$save")
echo "check_gtkw: $shown signals of $save checked against $(wc -l < "$names") in $trace"
exit $missing
