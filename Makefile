# vpclint — common tasks. `make test` is what CI runs (.ci/run).

GO       ?= go
PKGS     ?= ./...
BIN      ?= bin/vpclint
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
FUZZTIME ?= 2m
CORPUS   ?= ../shared/corpus
# GoReleaser is not a dependency of the project: install it to cut a
# release (docs/releasing.md), e.g.
#   go install github.com/goreleaser/goreleaser/v2@v2.17.0
GORELEASER ?= goreleaser

.PHONY: all build build-static install image test vet fmt-check lint bench bench-scale bench-cli fuzz docs golden release-check release-snapshot clean

all: build

# build: compiled exactly as `go run` and `go test` compile (only the link
# step differs, by the version stamp), so it reuses their build cache and
# takes a second after a test run. The binary links the C library when
# cgo is on; `make build-static` and the releases are static.
build:
	$(GO) build -ldflags '-X main.version=$(VERSION)' -o $(BIN) ./cmd/vpclint

# build-static: the release build (no cgo, paths trimmed, no symbol table):
# a binary that runs on any Linux of its architecture. Its settings differ
# from `go test`'s, so it compiles every package once into its own cache
# entries.
build-static:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '-s -w -X main.version=$(VERSION)' -o $(BIN) ./cmd/vpclint

install:
	$(GO) install -ldflags '-X main.version=$(VERSION)' ./cmd/vpclint

# image: the container image (Dockerfile), needs a Docker engine.
image:
	docker build --build-arg VERSION=$(VERSION) -t vpclint:$(VERSION) .

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

# fuzz: every Fuzz target of PKGS for FUZZTIME each, one at a time (go
# test allows one -fuzz target per package run), e.g.
# `make fuzz PKGS=./loader/terraform FUZZTIME=10m`. The default of two
# minutes a target (about 40 minutes for all 18) is what the targets that
# compile the Rego rules need to get past start-up and into new inputs.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for fn in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$fn"; \
	    $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# release-check: validate .goreleaser.yaml (also run by `make test`, in
# scripts/release_test.go, when goreleaser is installed).
release-check:
	$(GORELEASER) check

# release-snapshot: build every release archive, checksum and SBOM into
# dist/ without publishing anything. The SBOMs need syft on PATH; without
# it they are skipped (a real release requires them).
release-snapshot:
	$(GORELEASER) release --snapshot --clean $(if $(shell command -v syft 2>/dev/null),,--skip=sbom)

# docs: regenerate docs/rules/*.md and the README rule table.
docs:
	$(GO) run ./cmd/vpclint docs

# golden: rewrite the reporters' golden files after an intended change.
golden:
	$(GO) test ./reporters -update

clean:
	rm -rf bin dist
