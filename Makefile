# Thin wrapper over CMake. `make run` and `make test` do the whole set-up on a fresh Debian 12
# machine: install missing packages (as root; otherwise print the command), configure, build.

BUILD_DIR ?= build
ASAN_DIR ?= build-asan
FUZZ_DIR ?= build-fuzz
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PORT ?= 6379

BUILD_PKGS := cmake g++ make pkg-config libuv1-dev libmimalloc-dev liblua5.1-0-dev \
  lua-cjson-dev lua-bitop-dev
TEST_PKGS := libgtest-dev libhiredis-dev redis-server redis-tools python3-redis python3-rq \
  python3-celery
# For the BullMQ check; only when node/npm are missing (NodeSource's nodejs bundles npm and
# conflicts with Debian's npm package).
NODE_PKGS := nodejs npm
FUZZ_PKGS := clang libclang-rt-14-dev
BENCH_PKGS := redis-server redis-tools gnuplot-nox

.PHONY: all deps test-deps node-deps build run test asan-test fuzz format format-check bench \
  bench-quick docs clean

all: build

# Installs what is missing. `apt-get update` may fail on one index while a mirror syncs; the
# install itself decides whether we can go on.
define ensure_pkgs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q || echo "apt-get update failed; trying the install anyway"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "Missing packages:$$missing"; \
	    echo "Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call ensure_pkgs,$(BUILD_PKGS))

test-deps: deps
	$(call ensure_pkgs,$(TEST_PKGS))
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	  $(MAKE) --no-print-directory node-deps; fi

node-deps:
	$(call ensure_pkgs,$(NODE_PKGS))

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	mkdir -p data
	./$(BUILD_DIR)/server/fickle-server fickle.conf --port $(PORT) --dir ./data

test: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# Debug build with ASan+UBSan (mimalloc off), every test.
asan-test: test-deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DFICKLE_SANITIZE=ON
	cmake --build $(ASAN_DIR) -j$(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (clang); FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 30
fuzz: deps
	$(call ensure_pkgs,$(FUZZ_PKGS))
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DFICKLE_FUZZ=ON \
	  -DFICKLE_TESTS=OFF -DFICKLE_MIMALLOC=OFF
	cmake --build $(FUZZ_DIR) -j$(JOBS) --target fuzz_resp_parser
	mkdir -p $(FUZZ_DIR)/corpus
	./$(FUZZ_DIR)/fuzz/fuzz_resp_parser -max_total_time=$(FUZZ_SECONDS) $(FUZZ_DIR)/corpus fuzz/corpus

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')

# Fickle beside redis-server (issue #5): prints the tables, rewrites the generated part of
# docs/performance.md and docs/performance.png (about 20 min). bench-quick is the CI-sized run
# (seconds) and writes to $(BUILD_DIR)/bench-quick/ instead of docs/.
bench: build
	$(call ensure_pkgs,$(BENCH_PKGS))
	python3 redis-compat/bench/bench.py --fickle $(BUILD_DIR)/server/fickle-server

bench-quick: build
	$(call ensure_pkgs,$(BENCH_PKGS))
	python3 redis-compat/bench/bench.py --quick --fickle $(BUILD_DIR)/server/fickle-server \
	  --out-dir $(BUILD_DIR)/bench-quick

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
