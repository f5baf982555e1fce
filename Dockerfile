# syntax=docker/dockerfile:1
#
# vpclint's container image: a static binary on distroless's "static"
# base (no shell, no package manager, no C library), run as a non-root
# user, working in /src where the code to scan is mounted:
#
#   docker run --rm -v "$PWD:/src" ghcr.io/vpclint/vpclint scan .
#
# Build: docker build --build-arg VERSION=v1.2.3 -t vpclint .

# The Go toolchain of go.mod's go directive (scripts/release_test.go checks
# they agree).
FROM golang:1.26-alpine AS build
WORKDIR /build
# Dependencies first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# The release build: no cgo, paths trimmed, the version stamped.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=${VERSION}" -o /out/vpclint ./cmd/vpclint

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/vpclint /usr/local/bin/vpclint
# The mounted repository: vpclint finds its .git here, so findings and
# SARIF name files relative to the repository root.
WORKDIR /src
# distroless's nonroot user (65532). To write reports into a mounted
# directory owned by you, run with --user "$(id -u):$(id -g)".
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/vpclint"]
CMD ["scan", "."]
