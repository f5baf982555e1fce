#!/usr/bin/env bash
# The scan step of the vpclint GitHub Action (action.yml). It is a script
# rather than inline YAML so that it can be tested outside GitHub
# (scripts/action_test.go runs it).
#
# Inputs (environment):
#   VPCLINT_PATHS      space-separated paths to scan (default ".")
#   VPCLINT_FAIL_ON    severity that fails the step (default high)
#   VPCLINT_CONFIG     optional .vpclint.yaml
#   VPCLINT_ARGS       extra arguments for `vpclint scan`
#   VPCLINT_BIN        a vpclint binary to use; otherwise it is built from
#                      VPCLINT_SOURCE (the action's own checkout)
#   VPCLINT_SOURCE     directory of the vpclint sources (github.action_path)
#   VPCLINT_OUT_DIR    where to write results (default $RUNNER_TEMP or /tmp)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT   set by GitHub Actions
# Outputs (in $GITHUB_OUTPUT): sarif (path), exit-code (what fail-on decided).
set -euo pipefail

out_dir="${VPCLINT_OUT_DIR:-${RUNNER_TEMP:-/tmp}}/vpclint"
mkdir -p "$out_dir"

bin="${VPCLINT_BIN:-}"
if [ -z "$bin" ]; then
  src="${VPCLINT_SOURCE:?VPCLINT_SOURCE or VPCLINT_BIN must be set}"
  bin="$out_dir/vpclint"
  (cd "$src" && go build -trimpath -o "$bin" ./cmd/vpclint)
fi

sarif="$out_dir/results.sarif"
summary="$out_dir/summary.md"
args=(scan --format sarif --output "sarif=$sarif" --format markdown --output "markdown=$summary"
      --fail-on "${VPCLINT_FAIL_ON:-high}")
if [ -n "${VPCLINT_CONFIG:-}" ]; then
  args+=(--config "$VPCLINT_CONFIG")
fi
# shellcheck disable=SC2206 # word splitting of extra args is intended
extra=(${VPCLINT_ARGS:-})
# shellcheck disable=SC2206
paths=(${VPCLINT_PATHS:-.})

set +e
"$bin" "${args[@]}" "${extra[@]}" "${paths[@]}"
code=$?
set -e

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$summary" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif=$sarif"
    echo "exit-code=$code"
  } >> "$GITHUB_OUTPUT"
fi
# 0 and 1 are verdicts, decided after the SARIF upload; 2 means the scan
# itself failed and stops the job now.
if [ "$code" -ge 2 ]; then
  echo "vpclint could not complete the scan (exit $code)" >&2
  exit "$code"
fi
exit 0
