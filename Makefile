# The two commands in README: `make run` and `make test`. Everything else is a helper of those.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
CONFIG     ?= config/feedgate.yaml
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

# ccache keys on paths relative to the checkout, so a fresh clone in any folder reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps test-deps build release run deb image test test-unit test-asan test-tsan unit \
	format format-check clean fuzz fuzz-deps

all: build

deps:
	@bash deploy/install-deps.sh

test-deps:
	@bash deploy/install-deps.sh --with-tests

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

release: deps
	@cmake -S . -B build-release $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DFEEDGATE_TESTS=OFF >/dev/null
	@cmake --build build-release -j $(JOBS) --target feedgate

# A Debian package of the release build: build-release/feedgate_VERSION_ARCH.deb.
deb: release
	@cmake --build build-release -j $(JOBS) --target man package_docs
	@cd build-release && cpack -G DEB

# A container image of that package: localhost/feedgate:VERSION, with podman or docker (see
# "Run it in a container" in README.md).
image: deb
	@bash deploy/container/build-image.sh $$(ls -t build-release/feedgate_*.deb | head -1)

run: release
	./build-release/feedgate serve -c $(CONFIG)

test: test-deps format-check
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@$(MAKE) --no-print-directory test-asan
	@echo "== all tests"
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The unit tests alone, in the normal build.
test-unit:
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@cd $(BUILD) && ctest -L unit --output-on-failure -j $(JOBS)

# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (part of `make test`).
test-asan:
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DFEEDGATE_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@cd $(ASAN_BUILD) && ctest -L unit --output-on-failure -j $(JOBS)

# The unit tests and the e2e tests that serve and poll, under ThreadSanitizer (not part of
# `make test`: it takes a build of its own and several minutes). Every report, from a test binary
# or from a daemon an e2e test started, lands in $(TSAN_BUILD)/tsan/; any report fails the target.
TSAN_E2E := ^e2e_(feeds|faults|service|shutdown|shaping|cluster|cluster_polite|websub)$$
test-tsan:
	@cmake -S . -B $(TSAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEEDGATE_SANITIZE=thread >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS)
	@rm -rf $(TSAN_BUILD)/tsan && mkdir -p $(TSAN_BUILD)/tsan
	@echo "== unit tests and serving/polling e2e tests under ThreadSanitizer"
	@cd $(TSAN_BUILD) && export TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp \
	  log_path=$(CURDIR)/$(TSAN_BUILD)/tsan/report second_deadlock_stack=1 history_size=4" && \
	  ctest -L unit --output-on-failure -j $(JOBS); unit=$$?; \
	  ctest -R '$(TSAN_E2E)' --output-on-failure; e2e=$$?; \
	  reports=$$(ls tsan | wc -l); echo "== ThreadSanitizer: $$reports report file(s) in $(TSAN_BUILD)/tsan"; \
	  test $$unit = 0 && test $$e2e = 0 && test $$reports = 0

# One module's unit tests, built and run alone: `make unit M=extract` (the fast loop).
unit:
	@test -n "$(M)" || { echo "usage: make unit M=<module>, e.g. M=extract"; exit 2; }
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target unit_$(M)
	@$(BUILD)/tests/unit_$(M)

# `make fuzz` (not part of `make test`): every fuzz target built with clang, libFuzzer, ASan and
# UBSan (the libraries with coverage too), then run FUZZ_SECONDS each with its corpus in
# tests/fuzz/corpus/<target>/. FUZZ_TARGETS picks some: `make fuzz FUZZ_TARGETS="parse render"`.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.cpp,%,$(wildcard tests/fuzz/fuzz_*.cpp))

fuzz-deps:
	@bash deploy/install-deps.sh --with-fuzz

fuzz: fuzz-deps
	@CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFEEDGATE_SANITIZE=ON -DFEEDGATE_LIBFUZZER=ON -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check:
	@clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.hpp')
	@echo "== clang-format: every C++ file follows .clang-format"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) build-release $(FUZZ_BUILD)
