#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and fuzzes each: the model-file, .npy, IDX and
# TorchScript readers, and the RTL against the golden model (tb/fuzz_rtl.cpp).
#
# Usage: scripts/fuzz.sh [options] SECONDS [BUILD_DIR]     (make fuzz: 300 s each; make test: 10 s)
#   --targets "A B"  these targets only (default: model_file npy idx torchscript rtl)
#   --runs N         stop each target after N executions (or SECONDS, whichever comes first;
#                    SECONDS 0: no time limit)
#   --shard i/N      one of N shards (a CI matrix, a cluster job array, `make fuzz-parallel`):
#                    N/N-th of --runs, libFuzzer seed i + 1, its own log; the shards share the
#                    corpus folder, where each one's finds reach the others
#   --no-build       the targets are built already (shards in parallel must not build at once)
#   --build-only     build, fuzz nothing
# Each target starts from tests/fuzz/corpus/TARGET and tests/fuzz/regressions/TARGET and keeps
# what it finds in BUILD_DIR/corpus/TARGET. A crash, hang (10 s), leak, out-of-memory (2 GB) or
# sanitizer report fails the run and leaves the input in BUILD_DIR/crash-TARGET-*: copy it into
# tests/fuzz/regressions/TARGET/ with the fix, so the unit tests replay it from then on.
# Prints one line per target: "fuzz TARGET[ shard i/N]: E executions in S s, ...: ok".
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: scripts/fuzz.sh [--targets LIST] [--runs N] [--shard i/N] [--no-build | --build-only] SECONDS [BUILD_DIR]"
targets=(model_file npy idx torchscript rtl)
runs=0
shard=0
shards=1
build_step=yes
fuzz_step=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) read -r -a targets <<< "${2:?$usage}"; shift 2 ;;
    --runs) runs=${2:?$usage}; shift 2 ;;
    --shard) shard=${2%/*}; shards=${2#*/}; shift 2 ;;
    --no-build) build_step=no; shift ;;
    --build-only) fuzz_step=no; shift ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *) break ;;
  esac
done
seconds=${1:-}
build=${2:-build/fuzz}
[[ "$seconds" =~ ^[0-9]+$ || $fuzz_step == no ]] || { echo "$usage" >&2; exit 2; }
[[ "$runs" =~ ^[0-9]+$ && "$shard" =~ ^[0-9]+$ && "$shards" =~ ^[1-9][0-9]*$ ]] &&
  [ "$shard" -lt "$shards" ] || { echo "fuzz.sh: bad --runs or --shard" >&2; exit 2; }
[ $fuzz_step = no ] || [ "$seconds" -gt 0 ] || [ "$runs" -gt 0 ] ||
  { echo "fuzz.sh: SECONDS 0 needs --runs (a run without a limit never ends)" >&2; exit 2; }
for t in "${targets[@]}"; do
  case "$t" in model_file | npy | idx | torchscript | rtl) ;; *)
    echo "fuzz.sh: unknown target '$t' (model_file npy idx torchscript rtl)" >&2; exit 2 ;;
  esac
done

binary() { if [ "$1" = rtl ]; then echo "$build/tb/fuzz_rtl"; else echo "$build/tests/fuzz/fuzz_$1"; fi; }

if [ $build_step = yes ]; then
  command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing; run scripts/setup.sh" >&2; exit 2; }
  if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEIE_FUZZ=ON \
      > /tmp/eie_fuzz_configure.log 2>&1 || { cat /tmp/eie_fuzz_configure.log; exit 1; }
  fi
  cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" > "$build/build.log" 2>&1 ||
    { tail -40 "$build/build.log"; exit 1; }
fi
[ $fuzz_step = yes ] || exit 0

limits=()
[ "$seconds" -gt 0 ] && limits+=(-max_total_time="$seconds")
[ "$runs" -gt 0 ] && limits+=(-runs=$(( (runs + shards - 1) / shards )))
tag=""
suffix=""
if [ "$shards" -gt 1 ]; then
  tag=" shard $shard/$shards"
  suffix="-$shard"
  limits+=(-seed=$((shard + 1)))
fi

failed=0
total=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds=("tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && seeds+=("tests/fuzz/regressions/$t")
  log="$build/fuzz_$t$suffix.log"
  # libtorch leaks on its archive reader's error paths (not this project's code): suppressed for
  # the TorchScript target only (tests/fuzz/lsan_torchscript.supp).
  lsan=""
  [ "$t" = torchscript ] && lsan="suppressions=$PWD/tests/fuzz/lsan_torchscript.supp"
  start=$(date +%s)
  if LSAN_OPTIONS="$lsan" "$(binary "$t")" "$corpus" "${seeds[@]}" "${limits[@]}" \
       -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/crash-$t$suffix-" > "$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $t$tag: ${execs:-?} executions in $(( $(date +%s) - start )) s," \
         "corpus $(ls "$corpus" | wc -l) inputs: ok"
    total=$((total + ${execs:-0}))
  else
    echo "fuzz $t$tag: FAILED (log $log):" >&2
    grep -E "ERROR|FAIL|==[0-9]+==|invariant|Test unit written" "$log" | head -20 >&2
    failed=1
  fi
done
echo "fuzz$tag: $total executions in all"
exit $failed
