#!/usr/bin/env bash
# eie_sim against careless and hostile files and output paths (docs/reliability.md, "Output paths
# and resource limits"): outputs that are inputs, pipes or symlinks, a small model file that asks
# for gigabytes, an endless input, a NaN input. Each case checks the exit code, the message, that
# no input changed and that nothing but the intended output was left. Memory cases run under
# `ulimit -v` so that a regression to gigabytes fails instead of swapping.
# Usage: tb/robustness.sh EIE_SIM EIE
set -uo pipefail
sim=$1
eie=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# check NAME EXPECTED_EXIT FRAGMENT -- COMMAND...: runs COMMAND and checks exit code and message.
check() {
  local name=$1 want=$2 fragment=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -qF -- "$fragment" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), message must contain '$fragment':"
    echo "$out" | tail -5
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# The folder's regular files and their checksums, to prove nothing changed or was left behind.
state() { (cd "$dir" && find . -type f | sort | xargs -r md5sum); }
same_state() {
  if [ "$(state)" != "$1" ]; then
    echo "FAIL $2: files changed or left behind"
    diff <(echo "$1") <(state) | head -5
    failures=$((failures + 1))
  fi
}

"$eie" generate --sizes 40,20,5 --batch 3 --seed 3 -o "$dir" >/dev/null || exit 1
"$eie" compress -l "$dir/w1.npy:$dir/b1.npy" -l "$dir/w2.npy:$dir/b2.npy" --quiet \
  -o "$dir/m.eie" || exit 1
run=("$sim" --quiet --model "$dir/m.eie" --pe 4 --idle 0 --backpressure 0)

# Outputs that are inputs are refused (any spelling), before the run.
before=$(state)
check json_is_model 2 "refusing to overwrite an input" -- "${run[@]}" --json "$dir/./m.eie"
check trace_is_input 2 "refusing to overwrite an input" -- \
  "${run[@]}" --input "$dir/x.npy" --trace "$dir/x.npy"
ln -s m.eie "$dir/alias.eie"
check json_is_model_link 2 "refusing to overwrite an input" -- "${run[@]}" --json "$dir/alias.eie"
check two_outputs_one_file 2 "name the same file" -- \
  "${run[@]}" --json "$dir/r.json" --trace "$dir/r.json"
same_state "$before" outputs_that_are_inputs

# A pipe is written through, a symlink's target is written and the link kept.
mkfifo "$dir/pipe"
timeout 60 cat "$dir/pipe" >"$dir/from_pipe.json" &
reader=$!
check json_into_pipe 0 "PASS" -- "${run[@]}" --json "$dir/pipe"
wait "$reader"
if [ ! -p "$dir/pipe" ] || ! grep -q '"outputs_checked"' "$dir/from_pipe.json"; then
  echo "FAIL json_into_pipe: the pipe was replaced or got no report"
  failures=$((failures + 1))
fi
ln -s report.json "$dir/report_link"
check json_into_symlink 0 "PASS" -- "${run[@]}" --json "$dir/report_link"
if [ ! -L "$dir/report_link" ] || ! grep -q '"outputs_checked"' "$dir/report.json"; then
  echo "FAIL json_into_symlink: the link was replaced or its target not written"
  failures=$((failures + 1))
fi
check json_to_stdout 0 '"outputs_checked"' -- "${run[@]}" --json -

# A 17 KB model of 256 empty 2^24 x 2^24 layers, valid down to its CRC: refused at once, under
# 2 GB of address space (it once took gigabytes).
python3 - "$dir/wide.eie" <<'EOF'
import struct, sys, zlib
section = struct.pack("<B", 0) + struct.pack("<II", 1 << 24, 1 << 24) + bytes([0, 0, 4, 0])
section += bytes(32) + struct.pack("<II", 0, 0) + (bytes([0]) + struct.pack("<I", 0)) * 2
body = b"EIEMODEL" + struct.pack("<HHB3xI", 2, 0, 8, 256)
body += (struct.pack("<I", len(section)) + section) * 256 + struct.pack("<I", 0)
open(sys.argv[1], "wb").write(body + struct.pack("<I", zlib.crc32(body)))
EOF
before=$(state)
start=$SECONDS
check hostile_model 1 "over the limit" -- bash -c 'ulimit -v 2000000; exec "$@"' sh \
  "$sim" --quiet --model "$dir/wide.eie"
if [ $((SECONDS - start)) -gt 10 ]; then
  echo "FAIL hostile_model: took $((SECONDS - start)) s"
  failures=$((failures + 1))
fi
same_state "$before" hostile_model

# An endless input (a FIFO fed zeros, like /dev/zero) is read only up to its bad magic.
mkfifo "$dir/zeros"
timeout 60 bash -c 'exec 3>"$1"; head -c 4000000000 /dev/zero >&3' sh "$dir/zeros" 2>/dev/null &
feeder=$!
check endless_model 1 "bad magic" -- bash -c 'ulimit -v 2000000; exec "$@"' sh \
  "$sim" --quiet --model "$dir/zeros"
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null

# A NaN input is named with its file and batch row.
python3 - "$dir/nan.npy" <<'EOF'
import struct, sys
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 40), }"
header += " " * (118 - len(header)) + "\n"
values = [0.5] * 80
values[40 + 7] = float("nan")
open(sys.argv[1], "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) +
                              header.encode() + struct.pack("<80f", *values))
EOF
check nan_input 1 "nan.npy: input 1 of the batch: activation 7 is NaN" -- \
  "${run[@]}" --input "$dir/nan.npy" --inferences 2

rm -f "$dir/pipe" "$dir/zeros" "$dir/alias.eie" "$dir/report_link"
if [ "$failures" -ne 0 ]; then
  echo "robustness: $failures failure(s)"
  exit 1
fi
echo "robustness: all cases passed"
