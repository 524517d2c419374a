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
  bench-quick docs clean cross-check-arch cross-deps cross cross-test deb

all: build

# Installs what is missing. `apt-get update` may fail on one index while a mirror syncs; the
# install itself decides whether we can go on. A name without `:arch` means the build machine's
# architecture (or `all`): once foreign architectures are added (make cross), `dpkg -s NAME` is
# ambiguous for libraries installed for several. $(2): apt-get options (default: no recommends).
HOST_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
define ensure_pkgs
	@missing=""; for p in $(1); do \
	  case $$p in \
	    *:*) dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p";; \
	    *) dpkg-query -W -f='$${Architecture} $${db:Status-Status}\n' $$p 2>/dev/null | \
	         grep -Eq '^($(HOST_ARCH)|all) installed$$' || missing="$$missing $$p";; \
	  esac; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q || echo "apt-get update failed; trying the install anyway"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(if $(2),$(2),--no-install-recommends) $$missing; \
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

# --- ARM cross builds (docs/cross.md) -----------------------------------------------------
# `make cross ARCH=arm64|armhf`: Debian's cross compiler and the multiarch -dev packages of the
# target (installed as root: dpkg --add-architecture, then NAME:ARCH), built in build-cross-ARCH.
# `make cross-test ARCH=...` runs the GoogleTest binaries (unit and e2e) under qemu-user;
# CROSS_TEST_ARGS narrows them, e.g. CROSS_TEST_ARGS='-R e2e'. PAGE_SIZE=16384|65536 (arm64)
# runs them as on a kernel with 16 KB or 64 KB pages (qemu-user's -p).
ARCH ?=
PAGE_SIZE ?=
CROSS_TRIPLE_arm64 := aarch64-linux-gnu
CROSS_TRIPLE_armhf := arm-linux-gnueabihf
CROSS_QEMU_arm64 := qemu-aarch64-static
CROSS_QEMU_armhf := qemu-arm-static
CROSS_TRIPLE = $(CROSS_TRIPLE_$(ARCH))
CROSS_DIR = build-cross-$(ARCH)
CROSS_TEST_ARGS ?=
CROSS_TOOL_PKGS = g++-$(CROSS_TRIPLE) qemu-user-static
CROSS_LIB_PKGS = $(foreach p,libuv1-dev libmimalloc-dev liblua5.1-0-dev lua-cjson-dev lua-bitop-dev \
  libgtest-dev libhiredis-dev,$(p):$(ARCH))

cross-check-arch:
	@if [ -z "$(CROSS_TRIPLE)" ]; then echo "ARCH must be arm64 or armhf (got '$(ARCH)')"; exit 1; fi

cross-deps: cross-check-arch
	@if ! dpkg --print-foreign-architectures | grep -qx $(ARCH); then \
	  if [ "$$(id -u)" = 0 ]; then dpkg --add-architecture $(ARCH); \
	  else echo "Run: sudo dpkg --add-architecture $(ARCH)"; exit 1; fi; \
	fi
	$(call ensure_pkgs,cmake make pkg-config python3)
	$(call ensure_pkgs,$(CROSS_TOOL_PKGS),--install-recommends)
	$(call ensure_pkgs,$(CROSS_LIB_PKGS),--no-install-recommends --no-remove)

cross: cross-deps
	cmake -S . -B $(CROSS_DIR) -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-$(ARCH).cmake \
	  $(if $(PAGE_SIZE),-DFICKLE_PAGE_SIZE=$(PAGE_SIZE),-UFICKLE_PAGE_SIZE)
	cmake --build $(CROSS_DIR) -j$(JOBS)

cross-test: cross
	$(CROSS_QEMU_$(ARCH)) $(if $(PAGE_SIZE),-p $(PAGE_SIZE)) -L /usr/$(CROSS_TRIPLE) \
	  $(CROSS_DIR)/server/fickle-server --version
	cd $(CROSS_DIR) && ctest --output-on-failure -j$(JOBS) $(CROSS_TEST_ARGS)

# --- Debian packages (docs/packaging.md) ----------------------------------------------------
# `make deb`: the build machine's architecture from $(BUILD_DIR); `make deb ARCH=arm64|armhf`
# from the cross build. The .deb lands in dist/.
ifeq ($(ARCH),)
deb: build
	cd $(BUILD_DIR) && cpack -G DEB -B $(CURDIR)/dist
else
deb: cross
	cd $(CROSS_DIR) && cpack -G DEB -B $(CURDIR)/dist
endif
	rm -rf dist/_CPack_Packages
	@ls -1 dist/*.deb

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) build-cross-arm64 build-cross-armhf dist
