#!/usr/bin/env bash
# Installs vpclint for the GitHub Action (action.yml), in two steps around
# the cache step:
#
#   action-install.sh resolve   which version, and where it is installed
#   action-install.sh install   download the release archive for the
#                               runner's OS and architecture, verify its
#                               SHA-256 against the release's checksum file,
#                               and unpack the binary (or, with
#                               install: source, build it with the Go
#                               already on the runner)
#
# It never installs or changes a Go toolchain: the job's own `go` stays
# what it was. Tested by scripts/action_test.go against a release server
# faked on 127.0.0.1.
#
# Inputs (environment):
#   VPCLINT_VERSION      the version to install (v1.2.3 or 1.2.3); empty:
#                        this Action's own release (see resolve_version)
#   VPCLINT_INSTALL      release (default) or source
#   VPCLINT_ACTION_REF   github.action_ref: the tag, branch or commit the
#                        workflow named the Action by
#   VPCLINT_ACTION_PATH  github.action_path: the Action's files
#   VPCLINT_RELEASE_URL  where releases are downloaded from (default
#                        https://github.com/vpclint/vpclint/releases/download)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP, GITHUB_OUTPUT
#                        set by GitHub Actions
# Outputs (in $GITHUB_OUTPUT): version, dir (resolve); bin (install).
set -euo pipefail

die() {
  echo "::error title=vpclint::$*" >&2
  exit 1
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1=$2" >> "$GITHUB_OUTPUT"
  fi
}

action_path="${VPCLINT_ACTION_PATH:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)}"
install_mode="${VPCLINT_INSTALL:-release}"
semver='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
tmp="" # the download directory, removed on exit

# resolve_version prints the release to install: the version input; else
# the Action's ref when it is a full version tag (uses: vpclint/vpclint@v1.2.3);
# else the release the Action's commit belongs to, recorded in
# scripts/action-version when the release was cut (uses: ...@v1, or a
# commit SHA).
resolve_version() {
  local v="${VPCLINT_VERSION:-}"
  if [ -z "$v" ] && [[ "${VPCLINT_ACTION_REF:-}" =~ $semver ]]; then
    v="$VPCLINT_ACTION_REF"
  fi
  if [ -z "$v" ] && [ -f "$action_path/scripts/action-version" ]; then
    v="$(tr -d ' \r\n' < "$action_path/scripts/action-version")"
  fi
  case "$v" in
    "" | none)
      die "this Action's commit (${VPCLINT_ACTION_REF:-unknown ref}) is not a release: set the version input (e.g. version: v1.2.3), or install: source to build it with the runner's Go"
      ;;
  esac
  [[ "$v" == v* ]] || v="v$v"
  [[ "$v" =~ $semver ]] || die "version '$v' is not a release version (vX.Y.Z)"
  echo "$v"
}

platform() {
  local os arch
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux) os=linux ;;
    macOS | Darwin) os=darwin ;;
    Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
    *) die "no vpclint release for the runner's OS '${RUNNER_OS:-$(uname -s)}'; use install: source" ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64 | x86_64 | amd64) arch=amd64 ;;
    ARM64 | aarch64 | arm64) arch=arm64 ;;
    *) die "no vpclint release for the runner's architecture '${RUNNER_ARCH:-$(uname -m)}'; use install: source" ;;
  esac
  echo "$os $arch"
}

sha256() {
  if command -v sha256sum > /dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

fetch() { # url file
  curl --fail --silent --show-error --location --retry 3 --retry-connrefused \
    --connect-timeout 10 --max-time 300 --output "$2" "$1"
}

cmd_resolve() {
  local version plat os arch dir
  if [ "$install_mode" = source ]; then
    version=source
  else
    version="$(resolve_version)"
  fi
  plat="$(platform)"
  read -r os arch <<< "$plat"
  dir="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/vpclint/$version/$os-$arch"
  output version "$version"
  output dir "$dir"
  echo "vpclint $version for $os/$arch in $dir"
}

cmd_install() {
  local version plat os arch dir exe
  plat="$(platform)"
  read -r os arch <<< "$plat"
  exe=vpclint
  [ "$os" = windows ] && exe=vpclint.exe

  if [ "$install_mode" = source ]; then
    command -v go > /dev/null 2>&1 || die "install: source needs Go on the runner (this Action does not install one); use the release binary instead"
    dir="${VPCLINT_DIR:-${RUNNER_TEMP:-/tmp}/vpclint/source/$os-$arch}"
    mkdir -p "$dir"
    echo "building vpclint from the Action's source with $(go version)"
    (cd "$action_path" && go build -o "$dir/$exe" ./cmd/vpclint)
    output bin "$dir/$exe"
    return
  fi
  case "$install_mode" in
    release) ;;
    *) die "install: '$install_mode' (want release or source)" ;;
  esac

  version="$(resolve_version)"
  dir="${VPCLINT_DIR:-${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/vpclint/$version/$os-$arch}"
  # A binary restored by the cache step was verified when it was
  # downloaded; it is used when it reports the version asked for.
  if [ -x "$dir/$exe" ] && "$dir/$exe" version 2> /dev/null | head -n 1 | grep -qxF "vpclint $version"; then
    echo "vpclint $version (cached) in $dir"
    output bin "$dir/$exe"
    return
  fi

  local base="${VPCLINT_RELEASE_URL:-https://github.com/vpclint/vpclint/releases/download}"
  local plain="${version#v}"
  local ext=tar.gz
  [ "$os" = windows ] && ext=zip
  local archive="vpclint_${plain}_${os}_${arch}.${ext}"
  local sums="vpclint_${plain}_checksums.txt"
  tmp="$(mktemp -d "${RUNNER_TEMP:-/tmp}/vpclint-download.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT

  echo "downloading $base/$version/$archive"
  fetch "$base/$version/$sums" "$tmp/$sums" || die "cannot download $sums of vpclint $version: is $version a release?"
  fetch "$base/$version/$archive" "$tmp/$archive" || die "cannot download $archive of vpclint $version"

  local want got
  want="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/$sums")"
  [ -n "$want" ] || die "$sums does not list $archive"
  got="$(sha256 "$tmp/$archive")"
  [ "$got" = "$want" ] || die "checksum mismatch for $archive: the release lists $want, the download is $got; not installed"

  mkdir -p "$tmp/x"
  if [ "$ext" = zip ]; then
    if command -v unzip > /dev/null 2>&1; then
      unzip -q "$tmp/$archive" -d "$tmp/x"
    else
      powershell -NoProfile -Command "Expand-Archive -LiteralPath '$tmp/$archive' -DestinationPath '$tmp/x'"
    fi
  else
    tar -xzf "$tmp/$archive" -C "$tmp/x"
  fi
  [ -f "$tmp/x/$exe" ] || die "$archive holds no $exe"
  mkdir -p "$dir"
  mv -f "$tmp/x/$exe" "$dir/$exe"
  chmod +x "$dir/$exe"
  echo "installed vpclint $version (sha256 $got) in $dir"
  output bin "$dir/$exe"
}

case "${1:-}" in
  resolve) cmd_resolve ;;
  install) cmd_install ;;
  *) die "usage: action-install.sh resolve|install" ;;
esac
