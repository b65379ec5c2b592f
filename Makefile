# Doudi: the two front-door commands (make run, make test) and their helpers.
# Builds go to build/release (run, bench) and build/asan (tests, with AddressSanitizer + UBSan).
JOBS ?= 2
RELEASE := build/release
ASAN := build/asan
LISTEN ?= 127.0.0.1:8080
DB ?= sqlite:var/doudi.db

.PHONY: run test build build-asan build-web bootstrap bench clean

bootstrap:
	@scripts/bootstrap

$(RELEASE)/build.ninja: CMakeLists.txt | bootstrap
	@cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

$(ASAN)/build.ninja: CMakeLists.txt | bootstrap
	@cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDOUDI_SANITIZE=ON >/dev/null

build: bootstrap $(RELEASE)/build.ninja
	@cmake --build $(RELEASE) -j $(JOBS) --target doudi

build-asan: bootstrap $(ASAN)/build.ninja
	@cmake --build $(ASAN) -j $(JOBS)

build-web: bootstrap
	@scripts/build-web
	@scripts/fetch-face-models

# Builds, migrates var/doudi.db, loads demo data on first start, and serves.
run: build build-web
	@mkdir -p var
	@$(RELEASE)/doudi serve --db $(DB) --listen $(LISTEN) --demo-if-empty

# Every suite through ctest, against SQLite and a throw-away PostgreSQL 15 started here.
test: build-asan build-web
	@scripts/pg-test-server start
	@set -e; trap '$(CURDIR)/scripts/pg-test-server stop' EXIT; \
	  export DOUDI_TEST_PG_URL="$$(scripts/pg-test-server url)"; \
	  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1; \
	  cd $(ASAN) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: bootstrap $(RELEASE)/build.ninja
	@cmake --build $(RELEASE) -j $(JOBS)
	@bench/run

clean:
	rm -rf build
