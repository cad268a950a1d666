# User entry points. Everything builds into build/ through CMake (Release unless BUILD_TYPE says
# otherwise); CTest runs the tests. `make help` lists the targets.

BUILD_DIR  ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=

CMAKE_CONFIGURE = cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

.PHONY: all build check test test-asan lint-fast tidy fuzz fuzz-parallel soak soak-parallel coverage mutation formal sim demo lenet5 lstm lint format synth timing bench energy sweep clean help

all: build

help:
	@echo "make build   configure and compile everything into $(BUILD_DIR)/"
	@echo "make check   lint, then the golden, CLI, interface, smoke and error-path tests (< 2 min warm)"
	@echo "make test    lint, build, every CTest test, then the short reliability checks (what CI runs)"
	@echo "make test-asan  golden model, CLI and unit tests under ASan + UBSan"
	@echo "make soak    constrained-random RTL runs (SEEDS=1000 FIRST=1 SHARD=i/N)"
	@echo "make soak-parallel  the soak in SHARDS=4 slices under GNU parallel (PARALLEL_ARGS: hosts)"
	@echo "make coverage  RTL line/branch/toggle/functional coverage (COV_SEEDS=300)"
	@echo "make mutation  the 36 RTL mutants the regression must catch (about 5 min)"
	@echo "make formal  Yosys proofs of the FIFO, the LNZD and the CCU's masking and result stream, and their self-test"
	@echo "make fuzz    libFuzzer on the readers and on the RTL against the golden model (FUZZ_SECONDS=300 each)"
	@echo "make fuzz-parallel  the fuzzers in SHARDS shards under GNU parallel (FUZZ_TARGETS, FUZZ_RUNS)"
	@echo "make sim     RTL smoke regressions (Verilator, checked cycle by cycle against golden/)"
	@echo "make demo    LeNet-300-100 on MNIST: Deep Compression, then the RTL (FULL=1: 2000 digits)"
	@echo "make lenet5  LeNet-5 on MNIST: Deep Compression over 3 seeds, then all 2000 digits on the RTL"
	@echo "make lstm    an LSTM on sequential MNIST: the same"
	@echo "make lint    clang-format and clang-tidy of the C++, Verilator lint of rtl/ (make lint-fast: no tidy)"
	@echo "make format  rewrite the C++ sources with clang-format"
	@echo "make synth   Yosys area by block, NumPe/FifoDepth sweep, iCE40 map (SYNTH_PARAMS=...), then timing (UPDATE_DOCS=1)"
	@echo "make timing  static timing (Yosys + OpenSTA) by pipeline stage at NumPe 4/16/64 (TIMING_PARAMS=..., UPDATE_DOCS=1)"
	@echo "make bench   the nine EIE benchmark layers on the RTL vs the paper; golden-model speed"
	@echo "make energy  energy per inference from the RTL's activity, beside the paper (docs/energy.md)"
	@echo "make sweep   FIFO-depth and PE-count sweeps on the RTL, plots in docs/ (several minutes)"
	@echo "make clean   remove $(BUILD_DIR)/"

$(BUILD_DIR)/CMakeCache.txt:
	$(CMAKE_CONFIGURE)

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# What a developer runs before every commit: lint without clang-tidy (3 min on 2 cores), then the golden model's unit tests, the CLI
# tests, the interface check, the smoke simulations and the error paths (under 2 minutes on 2
# cores with a warm build).
check: lint-fast build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L 'golden|smoke|errors' $(CTEST_ARGS)

# Everything CI runs: lint, the CTest suite (soak.short included) with each test's time recorded
# ($(BUILD_DIR)/test-times.txt), then the short forms of the reliability checks: the C++ under
# ASan + UBSan, 10 s of fuzzing per reader, coverage over 20 soak seeds, and a rotating sample of
# the RTL mutants, which the regression must catch.
test: lint build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) \
	  --output-junit $(abspath $(BUILD_DIR))/ctest-results.xml $(CTEST_ARGS)
	scripts/test_times.py $(BUILD_DIR)/ctest-results.xml
	$(MAKE) --no-print-directory test-asan
	scripts/fuzz.sh 10 $(BUILD_DIR)/fuzz
	scripts/coverage.py --seeds 20 --build-dir $(BUILD_DIR)
	scripts/mutation.py --seeds 10 --sample 8 --build-dir $(BUILD_DIR)

# The golden model, the CLI and their tests under AddressSanitizer and UndefinedBehaviorSanitizer
# (any report fails); the RTL simulations run in the normal build only. At -O1 (and -g1) it
# builds in 2.7 min on 2 cores instead of 4.9 at -O2 -g, and its tests take 75 s instead of 71;
# the flags leave out -DNDEBUG, so the C++ assert()s are checked here too.
test-asan:
	cmake -S . -B $(BUILD_DIR)/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -DEIE_SANITIZE=ON -DEIE_RTL_SIM=OFF > /dev/null
	cmake --build $(BUILD_DIR)/asan -j $(JOBS)
	cd $(BUILD_DIR)/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# Constrained-random RTL runs against the golden model from random initial states; SEEDS seeds
# from FIRST, SHARD=i/N for a slice (a CI matrix or cluster job array).
SEEDS ?= 1000
FIRST ?= 1
SHARD ?= 0/1
soak: build
	scripts/soak.py --seeds $(SEEDS) --first $(FIRST) --shard $(SHARD) --build-dir $(BUILD_DIR)

# The soak as SHARDS slices run by GNU parallel (Debian parallel), JOBS at a time: the form a
# cluster or CI matrix runs it in. PARALLEL_ARGS="--sshloginfile FILE --workdir ." spreads the
# slices over hosts that share this checkout and build.
SHARDS ?= 4
PARALLEL_ARGS ?=
soak-parallel: build
	parallel --jobs $(JOBS) --halt now,fail=1 --tagstring 'shard {}/$(SHARDS)' $(PARALLEL_ARGS) \
	  scripts/soak.py --seeds $(SEEDS) --first $(FIRST) --shard {}/$(SHARDS) --jobs 1 \
	  --build-dir $(BUILD_DIR) ::: $(shell seq 0 $$(( $(SHARDS) - 1 )))

# Line, branch, toggle and functional coverage of the RTL over directed runs and COV_SEEDS soak
# seeds; report and annotated sources in $(BUILD_DIR)/coverage/report/.
COV_SEEDS ?= 300
coverage:
	scripts/coverage.py --seeds $(COV_SEEDS) --build-dir $(BUILD_DIR)

# Every RTL mutant in scripts/mutation.py must be caught by the regression.
mutation:
	scripts/mutation.py --build-dir $(BUILD_DIR)

# Formal proofs of the small blocks (Yosys sat; scripts/formal.py), then the self-test that a
# copy with a known bug fails each; logs in $(BUILD_DIR)/formal/.
formal:
	scripts/formal.py --out $(BUILD_DIR)/formal
	scripts/formal.py --selftest --out $(BUILD_DIR)/formal_selftest

# libFuzzer on the model-file, .npy, IDX and TorchScript readers and on the RTL, FUZZ_SECONDS each
# (scripts/fuzz.sh).
FUZZ_SECONDS ?= 300
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS) $(BUILD_DIR)/fuzz

# The fuzzers as SHARDS shards per target under GNU parallel, JOBS at a time (PARALLEL_ARGS:
# hosts), sharing each target's corpus: FUZZ_RUNS executions per target in all (0: no limit),
# FUZZ_SECONDS at most per shard (0: none), e.g. the 10-million-execution form:
#   make fuzz-parallel FUZZ_TARGETS="npy idx" FUZZ_RUNS=10000000 FUZZ_SECONDS=0 SHARDS=4
FUZZ_TARGETS ?= model_file npy idx torchscript rtl
FUZZ_RUNS ?= 0
fuzz-parallel:
	scripts/fuzz.sh --build-only --targets "$(FUZZ_TARGETS)" 0 $(BUILD_DIR)/fuzz
	parallel --jobs $(JOBS) --halt now,fail=1 $(PARALLEL_ARGS) scripts/fuzz.sh --no-build \
	  --targets {1} --runs $(FUZZ_RUNS) --shard {2}/$(SHARDS) $(FUZZ_SECONDS) $(BUILD_DIR)/fuzz \
	  ::: $(FUZZ_TARGETS) ::: $(shell seq 0 $$(( $(SHARDS) - 1 ))) > $(BUILD_DIR)/fuzz/parallel.log; \
	  rc=$$?; grep -v ' in all$$' $(BUILD_DIR)/fuzz/parallel.log; \
	  awk '$$3 == "shard" { n[$$2] += $$5; s[$$2] += 1 } \
	    END { for (t in n) printf "fuzz %s: %d executions in %d shards\n", t, n[t], s[t] }' \
	    $(BUILD_DIR)/fuzz/parallel.log; exit $$rc

# The smoke set of the RTL regressions (tb/regressions.txt); `make test` runs all of them.
sim: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L smoke $(CTEST_ARGS)

# Deep Compression of LeNet-300-100 on MNIST, then the RTL on the test digits (FULL=1: all 2000).
DIGITS = $(if $(FULL),2000,300)
demo: build
	scripts/demo.sh $(BUILD_DIR) $(DIGITS)

# LeNet-5 and the LSTM: Deep Compression over ARCH_SEEDS seeds, then seed 1's model on the RTL for
# ARCH_DIGITS test digits in JOBS processes (scripts/mnist_arch.py). On this project's 2-core
# machines, per seed and per digit per process: LeNet-5 about 3.5 min and 4.5 s, the LSTM about
# 3.5 min and 1.3 s.
ARCH_SEEDS ?= 3
ARCH_DIGITS ?= 2000
lenet5 lstm: build
	scripts/mnist_arch.py --arch $@ --build-dir $(BUILD_DIR) --seeds $(ARCH_SEEDS) \
	  --digits $(ARCH_DIGITS) --shards $(JOBS)

CXX_SOURCES = $(shell git ls-files '*.cpp' '*.h' 2>/dev/null)
RTL_SOURCES = $(shell grep -v '^\#' rtl/eie.f)

lint: lint-fast tidy

lint-fast:
	@echo "clang-format: checking $(words $(CXX_SOURCES)) C++ files"
	@clang-format --dry-run --Werror $(CXX_SOURCES)
	@scripts/function_size.py --max 80 $(filter tb/%,$(CXX_SOURCES))
	verilator --lint-only -Wall --top-module eie_top $(RTL_SOURCES)
	verilator --lint-only -Wall -DEIE_BACKDOOR --top-module eie_top $(RTL_SOURCES)
	@echo "verilator: rtl/ is lint clean, with and without the simulation back door"

# clang-tidy with .clang-tidy's checks on the golden model, the CLI and the unit tests, through
# the compile_commands.json of a build folder of its own, configured without the RTL simulation
# (tb/ and the fuzz targets are left out): a fresh clone configures it in seconds, where the main
# build's configure verilates every variant and runs Yosys first (many minutes). The configure
# step runs every time: a folder configured by an older checkout lacks the generated
# eie/eie_pkg.h and the current compile commands.
TIDY_SOURCES = $(shell git ls-files 'golden/*.cpp' 'tests/*.cpp' 2>/dev/null)
TIDY_DIR = $(BUILD_DIR)/tidy
tidy:
	@command -v run-clang-tidy > /dev/null || { echo "clang-tidy missing: run scripts/setup.sh"; exit 1; }
	@mkdir -p $(TIDY_DIR)
	@cmake -S . -B $(TIDY_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DEIE_RTL_SIM=OFF \
	  > $(TIDY_DIR)/configure.log 2>&1 || { tail -n 20 $(TIDY_DIR)/configure.log; \
	  echo "make tidy: the configure step failed (all of it in $(TIDY_DIR)/configure.log);" \
	       "scripts/setup.sh installs what it needs"; exit 1; }
	@echo "clang-tidy: checking $(words $(TIDY_SOURCES)) C++ files"
	@run-clang-tidy -p $(TIDY_DIR) -j $(JOBS) -quiet $(TIDY_SOURCES) > $(TIDY_DIR)/tidy.log 2>&1 \
	  || { grep -E 'warning:|error:' $(TIDY_DIR)/tidy.log; echo "clang-tidy: findings above" \
	       "(all output in $(TIDY_DIR)/tidy.log)"; exit 1; }
	@echo "clang-tidy: clean"

format:
	clang-format -i $(CXX_SOURCES)

# Area by block: the NumPe and FifoDepth sweep and an iCE40 mapping, reports in synth/reports/;
# one configuration with `make synth SYNTH_PARAMS="NumPe=8 FifoDepth=4"`.
SYNTH_PARAMS ?=
# UPDATE_DOCS=1 (with the sweep): docs/synthesis.md's tables too, and docs/timing.md's.
synth:
	synth/eie_synth.py $(if $(SYNTH_PARAMS),--params $(SYNTH_PARAMS),--sweep --ice40)
	$(if $(and $(UPDATE_DOCS),$(if $(SYNTH_PARAMS),,1)),scripts/update_doc_tables.py docs/synthesis.md synth:pe=synth/reports/doc_pe.md synth:table2=synth/reports/doc_table2.md synth:sweep=synth/reports/doc_sweep.md)
	$(MAKE) --no-print-directory timing $(if $(SYNTH_PARAMS),TIMING_PARAMS="$(SYNTH_PARAMS)")

# Static timing: worst path into every pipeline stage, critical path, fmax and FO4 at NumPe
# 4/16/64 (docs/timing.md); reports in synth/reports/timing/.
# UPDATE_DOCS=1 (with the sweep): docs/timing.md's two tables too.
timing:
	synth/eie_timing.py $(if $(TIMING_PARAMS),--params $(TIMING_PARAMS),--sweep)
	$(if $(and $(UPDATE_DOCS),$(if $(TIMING_PARAMS),,1)),scripts/update_doc_tables.py docs/timing.md timing:critical=synth/reports/timing/doc_critical.md timing:stages=synth/reports/timing/doc_stages.md)

# The nine EIE benchmark layers on the RTL (table and JSON in build/bench/), then the golden
# model's CPU speed.
# UPDATE_DOCS=1: docs/benchmarks.md's tables too (scripts/update_doc_tables.py).
bench: build
	scripts/bench.sh $(BUILD_DIR)
	$(BUILD_DIR)/golden/eie_bench

# Energy per inference of the nine benchmark layers and LeNet-300-100 (docs/energy.md): gate-level
# power of the small netlist, the RTL's activity counts, the energy model; in $(BUILD_DIR)/energy/
# (UPDATE_DOCS=1: docs/energy.md's tables too).
energy: build
	scripts/energy.sh $(BUILD_DIR)

# The paper's Fig. 8 (FIFO depth) and Fig. 11 (PE count) sweeps on the RTL; plots into docs/.
sweep: build
	scripts/sweep.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
