GO ?= go
FUZZTIME ?= 5s
BIN := bin/monkey

.PHONY: build test unit fuzz vet bench demo clean

build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/monkey

# The whole test suite: vet, every test with the race detector (needs the
# Postgres and Redis that .ci/run starts), then a short run of every fuzz target.
test: vet unit fuzz

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 -timeout 40m ./...

# Each fuzz target runs for FUZZTIME.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg >/dev/null || { echo "FAIL fuzz $$pkg $$t"; exit 1; }; \
	  done; \
	done

# Benchmarks; figures go to docs/benchmarks.md.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./internal/bench/...

demo:
	$(GO) run ./cmd/monkey demo

clean:
	rm -rf bin
