# Factorize: set-up, build, tests and the demo.
# `make test` and `make demo` install what is missing (apt packages, the Python venv).

SWIFT ?= swift
VENV := .build/venv
PYTHON := $(VENV)/bin/python3
export FACTORIZE_PYTHON := $(abspath $(PYTHON))

.PHONY: all deps venv build test demo clean

all: build

deps:
	@scripts/install-deps.sh

venv: deps
	@scripts/make-venv.sh

build: deps
	$(SWIFT) build -c release

# Release mode: the numeric tests run 10-100x slower in debug builds.
# -enable-testing lets test targets use @testable imports in release builds.
test: deps venv
	$(SWIFT) build -c release -Xswiftc -enable-testing
	$(SWIFT) test -c release -Xswiftc -enable-testing

demo: deps venv build
	@scripts/demo.sh

clean:
	rm -rf .build
