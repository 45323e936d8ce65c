# Makefile - thin wrapper over CMake; see README.md.
BUILD ?= build
SAN_BUILD ?= build-sanitize
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
STATIC_BUILD ?= build-static
RELEASE_BUILD ?= build-release
CLANG_BUILD ?= build-release-clang
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=
# developer and CI builds stop on any warning; a packager's own cmake run does not
DEV_FLAGS = -DDS_WERROR=ON

.PHONY: all build test demo install sanitize tsan fuzz deps clean release static deb

all: build

# Installs the Debian packages the build and tests need, when missing.
deps:
	@sh tools/deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(DEV_FLAGS) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@sh tools/demo.sh $(BUILD)/distill

# the binary stripped, the man page and the bash, zsh and fish completions
install: build
	cmake --install $(BUILD) --prefix $(PREFIX) --strip

# what packagers build: Release without tests, with GCC ($(RELEASE_BUILD),
# which `make deb` packages) and with Clang ($(CLANG_BUILD)); warnings are errors here
release:
	cmake -S . -B $(RELEASE_BUILD) -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF $(DEV_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(RELEASE_BUILD) -j $(JOBS)
	cmake -S . -B $(CLANG_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF $(DEV_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(CLANG_BUILD) -j $(JOBS)

# a fully static binary (glibc and libyaml linked in) at $(STATIC_BUILD)/distill,
# then ctest static-binary runs it
static:
	cmake -S . -B $(STATIC_BUILD) -DDS_STATIC=ON -DCMAKE_BUILD_TYPE=Release $(DEV_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(STATIC_BUILD) -j $(JOBS) --target distill
	cd $(STATIC_BUILD) && ctest --output-on-failure -R '^static-binary$$'

# the .deb of the GCC Release build: $(RELEASE_BUILD)/distill_VERSION_ARCH.deb
deb:
	cmake -S . -B $(RELEASE_BUILD) -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF $(DEV_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(RELEASE_BUILD) -j $(JOBS)
	cd $(RELEASE_BUILD) && rm -f distill_*.deb && cpack -G DEB

sanitize:
	cmake -S . -B $(SAN_BUILD) -DCMAKE_C_COMPILER=clang -DDS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(DEV_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1 \
		DS_CORPUS_STRIDE=3 ctest --output-on-failure -j $(JOBS) -LE sanitize-skip

tsan:
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_C_COMPILER=clang -DDS_TSAN=ON -DCMAKE_BUILD_TYPE=Debug $(DEV_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -L tsan -j $(JOBS)

fuzz:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DDS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo $(DEV_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	sh tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) $(STATIC_BUILD) $(RELEASE_BUILD) $(CLANG_BUILD)
