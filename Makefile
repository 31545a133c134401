# Hindsight: `make site` builds the sample archive, `make test` runs every test.
# Both install the system packages they need first (Debian/Ubuntu, apt-get).

SWIFT        ?= swift
OUTPUT       ?= _site
APT_PACKAGES := pkg-config zlib1g-dev libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
# The search page is tested in a real headless browser; the pre-commit hook in a real pre-commit (git, a venv).
TEST_PACKAGES := chromium python3 python3-venv git curl
# pre-commit from PyPI, for the hook test (Tests/HindsightSiteTests/PreCommitHookTests.swift looks here).
PRE_COMMIT_VENV := .build/pre-commit-venv
PREFIX       ?= /usr/local
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps test-deps pre-commit install-packages build release install uninstall site test faults asan fuzz bench bench-serve clean

all: site

## deps: install the missing system packages (libgit2, cmark-gfm, zlib, pkg-config).
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(APT_PACKAGES) $(TEST_PACKAGES)"
	@$(MAKE) --no-print-directory pre-commit

## pre-commit: pre-commit from PyPI in $(PRE_COMMIT_VENV); without PyPI the hook test skips, saying why.
pre-commit:
	@[ -x $(PRE_COMMIT_VENV)/bin/pre-commit ] || \
	  { python3 -m venv $(PRE_COMMIT_VENV) && $(PRE_COMMIT_VENV)/bin/pip install -q pre-commit; } || \
	  echo "warning: pre-commit could not be installed from PyPI; the pre-commit hook test will skip"

install-packages:
	@missing=""; \
	for package in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## build: a debug build of everything.
build: deps
	$(SWIFT) build

## release: the optimised hindsight binary.
release: deps
	$(SWIFT) build -c release --product hindsight

## install: the release binary and its theme to $(PREFIX)/lib/hindsight, linked from $(PREFIX)/bin.
# The theme (Hindsight_HindsightTheme.resources) must sit beside the real binary: that is where it is
# looked for. DESTDIR stages the install for packaging.
install: release
	@bin="$$($(SWIFT) build -c release --show-bin-path)"; \
	lib="$(DESTDIR)$(PREFIX)/lib/hindsight"; \
	set -e; \
	install -d "$$lib" "$(DESTDIR)$(PREFIX)/bin"; \
	install -m 755 "$$bin/hindsight" "$$lib/hindsight"; \
	rm -rf "$$lib/Hindsight_HindsightTheme.resources"; \
	cp -R "$$bin/Hindsight_HindsightTheme.resources" "$$lib/"; \
	ln -sf ../lib/hindsight/hindsight "$(DESTDIR)$(PREFIX)/bin/hindsight"; \
	echo "Installed $(DESTDIR)$(PREFIX)/bin/hindsight"

uninstall:
	rm -rf "$(DESTDIR)$(PREFIX)/lib/hindsight" "$(DESTDIR)$(PREFIX)/bin/hindsight"

## site: build the bundled sample archive (Content/) into _site/.
site: release
	"$$($(SWIFT) build -c release --show-bin-path)/hindsight" build --output $(OUTPUT)
	@echo "Open $(OUTPUT)/index.html in a browser, or serve it: python3 -m http.server --directory $(OUTPUT) 8000"

## test: the whole test suite.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## faults: the fault-injection suite in full (`make test` runs it with a dozen kills); see docs/security.md.
FAULT_KILLS ?= 150
faults: test-deps
	$(SWIFT) build --build-tests
	HINDSIGHT_FAULT_KILLS=$(FAULT_KILLS) $(SWIFT) test --skip-build --filter FaultTests

## asan: the whole test suite under AddressSanitizer, in a build folder of its own (.build-asan).
asan: test-deps
	$(SWIFT) build --build-tests -Xswiftc -sanitize=address --scratch-path .build-asan
	$(SWIFT) test --skip-build --scratch-path .build-asan

## fuzz: each libFuzzer target (Fuzz/) for FUZZ_SECONDS, seeded with Content/ (FuzzTemplate with Theme/templates/); see docs/security.md.
# lld, because gold stops with an internal error linking libFuzzer's driver.
FUZZ_SECONDS ?= 60
fuzz: deps
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh

## bench: benchmarks in release builds (not part of `make test`); see docs/performance.md.
# git writes the corpora (fast-import) and the benchmark's one-file commits.
bench: test-deps release
	@$(MAKE) --no-print-directory install-packages PACKAGES="git"
	$(SWIFT) build -c release --product hindsight-corpus
	Benchmarks/run.sh

## bench-serve: a bounded loopback load test of `hindsight serve` (wrk, or a Python client without it).
bench-serve: release
	@$(MAKE) --no-print-directory install-packages PACKAGES="curl wrk"
	Benchmarks/serve-load.sh

clean:
	rm -rf .build .build-asan Fuzz/.build $(OUTPUT) .$(OUTPUT).cache .$(OUTPUT).lock .$(OUTPUT).new-* .$(OUTPUT).old-*
