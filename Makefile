# Two commands set everything up on a fresh Debian/Ubuntu machine:
#   make run   installs what is missing, fetches the default model, builds (release) and starts Tokenworks
#   make test  the same set-up, then builds once (release) and runs the whole test suite
SWIFT      ?= swift
SWIFTFLAGS ?= -c release
BIN        := .build/release/tokenworks

.PHONY: run test setup model build bench clean

run: setup model build
	$(BIN) chat

setup:
	@bash scripts/setup.sh

model:
	@bash scripts/fetch-model.sh

build:
	$(SWIFT) build $(SWIFTFLAGS) --product tokenworks

test: setup model
	$(SWIFT) build $(SWIFTFLAGS) --build-tests
	$(SWIFT) test $(SWIFTFLAGS) --skip-build

bench: setup model build
	bash bench/compare-llama.sh

clean:
	rm -rf .build
