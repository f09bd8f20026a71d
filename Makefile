# The two commands in README: `make run` and `make test`. Everything else is a helper of those.
BUILD      ?= build
ASAN_BUILD ?= build-asan
CONFIG     ?= config/feedgate.yaml
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

# ccache keys on paths relative to the checkout, so a fresh clone in any folder reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps test-deps build release run deb image test test-unit test-asan format format-check clean \
	fuzz fuzz-deps

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
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DFEEDGATE_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@cd $(ASAN_BUILD) && ctest -L unit --output-on-failure -j $(JOBS)
	@echo "== all tests"
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

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
	rm -rf $(BUILD) $(ASAN_BUILD) build-release $(FUZZ_BUILD)
