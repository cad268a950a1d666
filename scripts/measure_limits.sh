#!/usr/bin/env bash
# Peak memory of the `eie` tool on models at the resource limits (docs/reliability.md, "Output
# paths and resource limits"): empty layers whose shapes take the shape-word budget to its edge,
# with inputs as wide as the layers. Prints a Markdown table of peak RSS and wall time.
# Usage: scripts/measure_limits.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
eie=$(realpath "$build/golden/eie")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
python3 - <<'PY'
import struct, zlib

def model(shapes, path):
    """A valid model file of empty layers (no weights) with these (rows, cols)."""
    body = b"EIEMODEL" + struct.pack("<HHB3xI", 2, 0, 8, len(shapes))
    for rows, cols in shapes:
        s = struct.pack("<BII", 0, rows, cols) + bytes([1, 0, 4, 0]) + bytes(32)
        s += struct.pack("<II", 0, 0) + (bytes([0]) + struct.pack("<I", 0)) * 2
        body += struct.pack("<I", len(s)) + s
    body += struct.pack("<I", 0)
    open(path, "wb").write(body + struct.pack("<I", zlib.crc32(body)))

def npy(path, n):
    """A float32 vector of n ones."""
    h = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }" % n
    h += " " * (118 - len(h)) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode())
        f.write(struct.pack("<f", 1.0) * n)

model([(1, (1 << 24) - 1)], "wide.eie")    # 2^24 - 1 inputs: the most the descriptors hold
model([((1 << 24) - 4, 1)], "tall.eie")    # the most rows within the shape words at 1 PE
model([(64, 1000000)], "pe64.eie")         # 10^6 inputs: near the shape words at 64 PEs
npy("x_wide.npy", (1 << 24) - 1)
npy("x_tall.npy", 1)
npy("x_pe64.npy", 1000000)
PY
echo "| command | peak RSS | time |"
echo "|---|---|---|"
run() {
  local label=$1
  shift
  /usr/bin/time -f "%M %e" -o time.txt "$eie" "$@" >/dev/null
  read -r kb secs <time.txt
  echo "| \`eie $label\` | $((kb / 1024)) MiB | $secs s |"
}
run "report wide.eie" report wide.eie
run "pack wide.eie --pe 1" pack wide.eie --pe 1
run "infer wide.eie --pe 1" infer wide.eie -i x_wide.npy -o y.npy --pe 1
run "infer tall.eie --pe 1" infer tall.eie -i x_tall.npy -o y.npy --pe 1
run "pack pe64.eie --pe 64" pack pe64.eie --pe 64
run "infer pe64.eie --pe 64" infer pe64.eie -i x_pe64.npy -o y.npy --pe 64 --stats
