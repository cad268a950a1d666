#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and fuzzes each for SECONDS: the model-file,
# .npy, IDX and TorchScript readers, and the RTL against the golden model (tb/fuzz_rtl.cpp).
# Usage: scripts/fuzz.sh SECONDS [BUILD_DIR]        (make fuzz: 300 s each; make test: 10 s)
# Each target starts from tests/fuzz/corpus/TARGET and tests/fuzz/regressions/TARGET and keeps
# what it finds in BUILD_DIR/corpus/TARGET. A crash, hang (10 s), leak, out-of-memory (2 GB) or
# sanitizer report fails the run and leaves the input in BUILD_DIR/crash-TARGET-*: copy it into
# tests/fuzz/regressions/TARGET/ with the fix, so the unit tests replay it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [BUILD_DIR]}
build=${2:-build/fuzz}
targets=(model_file npy idx torchscript rtl)

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing; run scripts/setup.sh" >&2; exit 2; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEIE_FUZZ=ON \
    > /tmp/eie_fuzz_configure.log 2>&1 || { cat /tmp/eie_fuzz_configure.log; exit 1; }
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" > "$build/build.log" 2>&1 ||
  { tail -40 "$build/build.log"; exit 1; }

failed=0
total=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds=("tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && seeds+=("tests/fuzz/regressions/$t")
  log="$build/fuzz_$t.log"
  # libtorch leaks on its archive reader's error paths (not this project's code): suppressed for
  # the TorchScript target only (tests/fuzz/lsan_torchscript.supp).
  lsan=""
  [ "$t" = torchscript ] && lsan="suppressions=$PWD/tests/fuzz/lsan_torchscript.supp"
  bin="$build/tests/fuzz/fuzz_$t"
  [ "$t" = rtl ] && bin="$build/tb/fuzz_$t"
  if LSAN_OPTIONS="$lsan" "$bin" "$corpus" "${seeds[@]}" \
       -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/crash-$t-" > "$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $t: ${runs:-?} executions in ${seconds} s, corpus $(ls "$corpus" | wc -l) inputs: ok"
    total=$((total + ${runs:-0}))
  else
    echo "fuzz $t: FAILED (log $log):" >&2
    grep -E "ERROR|==[0-9]+==|invariant|Test unit written" "$log" | head -20 >&2
    failed=1
  fi
done
echo "fuzz: $total executions in all"
exit $failed
