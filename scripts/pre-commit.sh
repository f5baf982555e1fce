#!/usr/bin/env bash
# Entry point of the `vpclint` pre-commit hook (.pre-commit-hooks.yaml,
# language: script). pre-commit passes the staged files its `files:`
# pattern selects; `vpclint hook` scans what they belong to: the Terraform
# module of each changed .tf/.tfvars file (its directory, not the ones
# below it) and each changed CloudFormation template or plan, and leaves
# every other file out, so a change at the repository's root never scans
# the whole repository.
#
# vpclint is built once per hook revision from this checkout when Go is
# installed (so the hook runs the version its `rev:` names), else taken
# from PATH. VPCLINT_BIN names a binary to use instead; VPCLINT_FAIL_ON
# the severity that fails the commit (default high). Arguments before the
# files (`args:` in .pre-commit-config.yaml) go to vpclint.
set -euo pipefail

bin="${VPCLINT_BIN:-}"
if [ -z "$bin" ]; then
  src="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
  if command -v go > /dev/null 2>&1; then
    bin="$src/bin/vpclint"
    if [ ! -x "$bin" ]; then
      echo "vpclint: building the hook's vpclint (once per revision) with $(go version)" >&2
      (cd "$src" && go build -o "$bin" ./cmd/vpclint)
    fi
  elif command -v vpclint > /dev/null 2>&1; then
    bin=vpclint
  else
    echo "vpclint: neither Go nor vpclint is installed: install a release (https://github.com/vpclint/vpclint/releases), or use the vpclint-docker hook" >&2
    exit 2
  fi
fi
[ "$#" -eq 0 ] && exit 0
exec "$bin" hook --quiet --fail-on "${VPCLINT_FAIL_ON:-high}" "$@"
