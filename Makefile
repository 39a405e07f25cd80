GO ?= go
FUZZTIME ?= 5s
BIN := bin/monkey

.PHONY: build test unit e2e fuzz vet lint bench demo clean screenshots

build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/monkey

# The whole test suite: vet, every test with the race detector (needs the
# Postgres and Redis that .ci/run starts), the multi-process end-to-end tests,
# then a short run of every fuzz target.
test: vet lint unit e2e fuzz

vet:
	$(GO) vet ./...

# The house rules a machine can check (.golangci.yml); the linter is pinned
# by the tool directive of go.mod.
lint:
	$(GO) tool golangci-lint run ./...

unit:
	$(GO) test -race -count=1 -timeout 40m $$($(GO) list ./... | grep -v /e2e)

# The end-to-end tests run alone (they time process kills and restarts).
e2e:
	$(GO) test -race -count=1 -timeout 20m ./e2e/

# Each fuzz target runs for FUZZTIME.
fuzz:
	@set -e; out=$$(mktemp); trap 'rm -f $$out' EXIT; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg >$$out 2>&1 || { tail -n 60 $$out; echo "FAIL fuzz $$pkg $$t"; exit 1; }; \
	  done; \
	done

# Benchmarks; figures go to docs/benchmarks.md.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./internal/bench/...

# PNGs of the web UI's main pages (headless Chromium) for the README.
screenshots:
	$(GO) test -count=1 -run '^TestScreenshots$$' ./internal/web/ -args -screenshots=$(CURDIR)/docs/screenshots

demo:
	$(GO) run ./cmd/monkey demo

clean:
	rm -rf bin
