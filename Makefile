# User entry points. Everything builds into build/ through CMake (Release unless BUILD_TYPE says
# otherwise); CTest runs the tests. `make help` lists the targets.

BUILD_DIR  ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=

CMAKE_CONFIGURE = cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

.PHONY: all build test sim demo lint format synth bench clean help

all: build

help:
	@echo "make build   configure and compile everything into $(BUILD_DIR)/"
	@echo "make test    build, then run every test through CTest (what CI runs)"
	@echo "make sim     run the simulation regression (until the RTL lands: the golden-model demo)"
	@echo "make demo    golden-model demo: generate a network, compress, report, pack, infer"
	@echo "make lint    clang-format check of the C++ and Verilator lint of rtl/"
	@echo "make format  rewrite the C++ sources with clang-format"
	@echo "make synth   Yosys area estimate of the RTL"
	@echo "make bench   performance benchmarks"
	@echo "make clean   remove $(BUILD_DIR)/"

$(BUILD_DIR)/CMakeCache.txt:
	$(CMAKE_CONFIGURE)

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

sim: demo

demo: build
	scripts/golden_demo.sh $(BUILD_DIR)

CXX_SOURCES = $(shell git ls-files '*.cpp' '*.h' 2>/dev/null)
RTL_SOURCES = $(wildcard rtl/*.sv)

lint:
	@echo "clang-format: checking $(words $(CXX_SOURCES)) C++ files"
	@clang-format --dry-run --Werror $(CXX_SOURCES)
ifneq ($(RTL_SOURCES),)
	verilator --lint-only -Wall $(RTL_SOURCES)
else
	@echo "verilator: rtl/ has no SystemVerilog yet, nothing to lint"
endif

format:
	clang-format -i $(CXX_SOURCES)

synth:
ifneq ($(RTL_SOURCES),)
	scripts/synth.sh
else
	@echo "synth: rtl/ has no SystemVerilog yet (the PE array arrives with the RTL issue)" >&2
	@exit 1
endif

bench: build
	$(BUILD_DIR)/golden/eie_bench

clean:
	rm -rf $(BUILD_DIR)
