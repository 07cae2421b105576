# Two commands set everything up on a fresh Debian/Ubuntu machine:
#   make run   installs what is missing, fetches the default model, builds (release) and starts Tokenworks
#   make test  the same set-up, then builds once (release) and runs the whole test suite
SWIFT      ?= swift
SWIFTFLAGS ?= -c release
BIN        := .build/release/tokenworks
# Extra `swift test` arguments, e.g. `make test TEST_SKIP='--skip ChatTUITests'`.
TEST_SKIP  ?=

.PHONY: run test setup model build bench clean fuzz fuzz-build sanitize soak soak-serve durability

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
	$(SWIFT) test $(SWIFTFLAGS) --skip-build $(TEST_SKIP)

bench: setup model build
	bash bench/compare-llama.sh

clean:
	rm -rf .build

# Long runs, kept out of `make test` (see fuzz/README.md for figures and what each one checks).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= gguf jinja profile script theme schema gbnf toolcall sse serve
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer), one target after another, FUZZ_SECONDS each.
fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build:
	bash fuzz/build.sh

# The model-light test suites under AddressSanitizer (+UBSan, which also checks the kernels' C code) and under
# ThreadSanitizer, each in a build folder of its own so the release build is left alone.
# Swift on Linux has no -sanitize=undefined: UBSan instruments the C code (the kernels) through clang, and its
# handlers come with the AddressSanitizer runtime; -fno-sanitize-recover makes the first report fatal.
UBSAN_C = -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined
# Whole test modules (anchored: EndToEndTests.ChatTUITests and AskLedgerTests drive the release binary, not this build).
SANITIZE_FILTER ?= ^(GGUFTests|JinjaTests|KernelsTests|LedgerTests|AgentsTests|TUITests)\.|^InferenceTests\.(Grammar|Sampler|Tokenizer)
sanitize: setup model
	@start=$$(date +%s); \
	$(SWIFT) build -c release --sanitize=address $(UBSAN_C) --scratch-path .build-asan --build-tests && \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=0 \
	$(SWIFT) test -c release --sanitize=address $(UBSAN_C) --scratch-path .build-asan --skip-build \
	    --filter '$(SANITIZE_FILTER)' && \
	echo "address+undefined: $$(( $$(date +%s) - start )) s" && start=$$(date +%s) && \
	$(SWIFT) build -c release --sanitize=thread --scratch-path .build-tsan --build-tests && \
	TSAN_OPTIONS=halt_on_error=1 \
	$(SWIFT) test -c release --sanitize=thread --scratch-path .build-tsan --skip-build --filter '$(SANITIZE_FILTER)' && \
	echo "thread: $$(( $$(date +%s) - start )) s"

# 1,000 chat turns in one process: memory, descriptors, threads and ledger rows (bench/soak-chat.py).
SOAK_TURNS ?= 1000
soak: setup model build
	python3 bench/soak-chat.py --turns $(SOAK_TURNS)

# 16 concurrent streaming clients against `tokenworks serve` on loopback (bench/soak-serve.py).
SOAK_SECONDS ?= 180
soak-serve: setup model build
	python3 bench/soak-serve.py --clients 16 --duration $(SOAK_SECONDS)

# SIGKILL at random moments of agent runs (TOKENWORKS_KILL_ROUNDS, 20 by default), read-only and full disks.
durability: setup model
	$(SWIFT) build $(SWIFTFLAGS) --build-tests
	$(SWIFT) test $(SWIFTFLAGS) --skip-build --filter DurabilityTests

