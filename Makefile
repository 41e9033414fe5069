# Thin wrapper around CMake; see README.md.
.PHONY: all deps test test-sanitize demo bench format clean

MAKEFLAGS += --no-print-directory

SRC_DIRS := $(wildcard base arch mm kernel fs drivers workload bench cli include tests)

all: deps
	cmake -S . -B build
	cmake --build build -j$$(nproc)

deps:
	@scripts/deps.sh

test: all
	ctest --test-dir build --output-on-failure -j2

test-sanitize: deps
	cmake -S . -B build-asan -DMMSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j$$(nproc)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir build-asan --output-on-failure -j2

demo: all
	./build/mmsim demo

bench: all
	./build/mmsim bench page_alloc

format:
	find $(SRC_DIRS) -name '*.[ch]' -print0 | xargs -0 -r clang-format -i

clean:
	rm -rf build build-asan
