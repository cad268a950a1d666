#!/usr/bin/env bash
# Checks that every signal a GTKWave save file shows exists in an FST trace (signal names move
# when the RTL changes, and GTKWave silently drops the missing ones).
# Usage: scripts/check_gtkw.sh TRACE.fst SAVE.gtkw
set -euo pipefail
trace=${1:?usage: check_gtkw.sh TRACE.fst SAVE.gtkw}
save=${2:?usage: check_gtkw.sh TRACE.fst SAVE.gtkw}
[ -f "$trace" ] || { echo "check_gtkw: $trace missing (run the trace regression first)" >&2; exit 1; }
names=$(mktemp)
vcd=$(mktemp)
trap 'rm -f "$names" "$vcd"' EXIT
fst2vcd "$trace" 2>/dev/null > "$vcd"
# Hierarchical names of every variable: scopes joined with dots, as GTKWave writes them.
awk '/^\$scope/ {s[++d] = $3} /^\$upscope/ {d--}
     /^\$var/ {n = s[1]; for (i = 2; i <= d; i++) n = n "." s[i]; print n "." $5}' "$vcd" |
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

# The save file's marker (the time after the zoom on its '*' line) must sit on the first broadcast
# (eie_top's bcast_valid_o rising), where the view is meant to open.
marker=$(awk '/^\*/ {print $2; exit}' "$save")
if [ -n "$marker" ] && [ "$marker" != -1 ]; then
  first=$(awk '/^\$scope/ {s[++d] = $3} /^\$upscope/ {d--}
               /^\$var/ && !code && d == 2 && s[2] == "eie_top" && $5 == "bcast_valid_o" {code = $4}
               /^#/ {t = substr($0, 2)}
               code && $0 == "1" code {print t; exit}' "$vcd")
  if [ "$first" != "$marker" ]; then
    echo "check_gtkw: $save's marker is at ${marker}, the first broadcast at ${first:-none} in $trace"
    missing=1
  else
    echo "check_gtkw: the marker sits on the first broadcast (${first} ps)"
  fi
fi
exit $missing
