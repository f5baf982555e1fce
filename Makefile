# vpclint — common tasks. `make test` is what CI runs (.ci/run).

GO       ?= go
PKGS     ?= ./...
BIN      ?= bin/vpclint
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 10s
CORPUS   ?= ../shared/corpus

.PHONY: all build install test vet fmt-check lint bench bench-scale bench-cli fuzz docs golden clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/vpclint

install:
	CGO_ENABLED=0 $(GO) install -trimpath -ldflags '$(LDFLAGS)' ./cmd/vpclint

test: vet fmt-check
	$(GO) test $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './vendor/*'))"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# lint: vet, format, and staticcheck when it is installed.
lint: vet fmt-check
	@if command -v staticcheck >/dev/null 2>&1; then staticcheck $(PKGS); \
	else echo "staticcheck not installed; ran go vet and gofmt only"; fi

# bench: Go benchmarks of the evaluator, analysis and loaders, each
# pipeline stage at N = 20,000 security groups (scan's BenchmarkStages),
# then the scaling benchmark (scripts/benchscale: vpclint, and tfsec, Trivy
# or KICS when on PATH, on generated inputs of SIZES security groups) and
# the CLI timed on the shared corpus.
SIZES ?= 100,1000,5000,20000

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./evaluator/... ./analysis/... ./loader/... ./model/...
	$(GO) test -run '^$$' -bench Stages -benchtime 1x -benchmem ./scan
	$(MAKE) bench-scale
	$(MAKE) bench-cli

bench-scale: build
	$(GO) run ./scripts/benchscale -bin $(BIN) -sizes $(SIZES)

bench-cli: build
	scripts/bench-cli.sh $(BIN) $(CORPUS)

# fuzz: every Fuzz target briefly, one at a time (go test allows one
# -fuzz target per package run).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for fn in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$fn"; \
	    $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# docs: regenerate docs/rules/*.md and the README rule table.
docs:
	$(GO) run ./cmd/vpclint docs

# golden: rewrite the reporters' golden files after an intended change.
golden:
	$(GO) test ./reporters -update

clean:
	rm -rf bin
