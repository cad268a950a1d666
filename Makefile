# User entry points. Everything builds into build/ through CMake (Release unless BUILD_TYPE says
# otherwise); CTest runs the tests. `make help` lists the targets.

BUILD_DIR  ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=

CMAKE_CONFIGURE = cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

.PHONY: all build test sim demo lint format synth bench sweep clean help

all: build

help:
	@echo "make build   configure and compile everything into $(BUILD_DIR)/"
	@echo "make test    build, then run every test through CTest (what CI runs)"
	@echo "make sim     RTL smoke regressions (Verilator, checked cycle by cycle against golden/)"
	@echo "make demo    LeNet-300-100 on MNIST: Deep Compression, then the RTL (FULL=1: 2000 digits)"
	@echo "make lint    clang-format check of the C++ and Verilator lint of rtl/"
	@echo "make format  rewrite the C++ sources with clang-format"
	@echo "make synth   Yosys area by block, NumPe/FifoDepth sweep, iCE40 map (SYNTH_PARAMS=...)"
	@echo "make bench   the nine EIE benchmark layers on the RTL vs the paper; golden-model speed"
	@echo "make sweep   FIFO-depth and PE-count sweeps on the RTL, plots in docs/ (several minutes)"
	@echo "make clean   remove $(BUILD_DIR)/"

$(BUILD_DIR)/CMakeCache.txt:
	$(CMAKE_CONFIGURE)

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The smoke set of the RTL regressions (tb/regressions.txt); `make test` runs all of them.
sim: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L smoke $(CTEST_ARGS)

# Deep Compression of LeNet-300-100 on MNIST, then the RTL on the test digits (FULL=1: all 2000).
DIGITS = $(if $(FULL),2000,300)
demo: build
	scripts/demo.sh $(BUILD_DIR) $(DIGITS)

CXX_SOURCES = $(shell git ls-files '*.cpp' '*.h' 2>/dev/null)
RTL_SOURCES = $(shell grep -v '^\#' rtl/eie.f)

lint:
	@echo "clang-format: checking $(words $(CXX_SOURCES)) C++ files"
	@clang-format --dry-run --Werror $(CXX_SOURCES)
	verilator --lint-only -Wall --top-module eie_top $(RTL_SOURCES)
	@echo "verilator: rtl/ is lint clean"

format:
	clang-format -i $(CXX_SOURCES)

# Area by block: the NumPe and FifoDepth sweep and an iCE40 mapping, reports in synth/reports/;
# one configuration with `make synth SYNTH_PARAMS="NumPe=8 FifoDepth=4"`.
SYNTH_PARAMS ?=
synth:
	synth/eie_synth.py $(if $(SYNTH_PARAMS),--params $(SYNTH_PARAMS),--sweep --ice40)

# The nine EIE benchmark layers on the RTL (table and JSON in build/bench/), then the golden
# model's CPU speed.
bench: build
	scripts/bench.sh $(BUILD_DIR)
	$(BUILD_DIR)/golden/eie_bench

# The paper's Fig. 8 (FIFO depth) and Fig. 11 (PE count) sweeps on the RTL; plots into docs/.
sweep: build
	scripts/sweep.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
