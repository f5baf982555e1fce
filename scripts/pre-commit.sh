#!/usr/bin/env bash
# pre-commit entry point: scan the directories of the changed files once
# each (Terraform is evaluated per module directory, so scanning a single .tf
# file would miss its variables and sibling resources).
set -euo pipefail
bin="${VPCLINT_BIN:-}"
if [ -z "$bin" ]; then
  if command -v vpclint >/dev/null 2>&1; then
    bin=vpclint
  else
    src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/vpclint-pre-commit"
    mkdir -p "$cache"
    bin="$cache/vpclint"
    if [ ! -x "$bin" ] || [ "$src/go.mod" -nt "$bin" ]; then
      (cd "$src" && go build -trimpath -o "$bin" ./cmd/vpclint)
    fi
  fi
fi
declare -A seen=()
dirs=()
for f in "$@"; do
  d=$(dirname -- "$f")
  if [ -z "${seen[$d]:-}" ]; then
    seen[$d]=1
    dirs+=("$d")
  fi
done
[ "${#dirs[@]}" -eq 0 ] && exit 0
exec "$bin" scan --fail-on "${VPCLINT_FAIL_ON:-high}" "${dirs[@]}"
