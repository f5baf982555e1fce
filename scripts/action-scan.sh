#!/usr/bin/env bash
# The scan step of the vpclint GitHub Action (action.yml). It is a script
# rather than inline YAML so that it can be tested outside GitHub
# (scripts/action_test.go runs it).
#
# Inputs (environment):
#   VPCLINT_BIN        the vpclint binary (action-install.sh's output)
#   VPCLINT_PATHS      space-separated paths to scan (default ".")
#   VPCLINT_FAIL_ON    severity that fails the job (default high)
#   VPCLINT_CONFIG     optional .vpclint.yaml
#   VPCLINT_FORMAT     the report for the job log or VPCLINT_OUTPUT
#                      (default text)
#   VPCLINT_OUTPUT     file for that report (default: the job log)
#   VPCLINT_ARGS       extra arguments for `vpclint scan`
#   VPCLINT_COMPARE_BASE  "true": compare with the pull request's base
#                      commit (vpclint scan --compare): findings are new,
#                      unchanged or fixed, and fail-on counts new ones only
#   VPCLINT_BASE_SHA   that base commit (github.event.pull_request.base.sha);
#                      fetched when the checkout lacks it
#   VPCLINT_OUT_DIR    where to write results (default $RUNNER_TEMP or /tmp)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT   set by GitHub Actions
# Besides that report, the SARIF for code scanning and a Markdown summary
# for the job summary are always written.
# Outputs (in $GITHUB_OUTPUT): sarif (path), report (path, when
# VPCLINT_OUTPUT is set), exit-code (what fail-on decided).
set -euo pipefail

bin="${VPCLINT_BIN:?VPCLINT_BIN must name the vpclint binary}"
out_dir="${VPCLINT_OUT_DIR:-${RUNNER_TEMP:-/tmp}}/vpclint"
mkdir -p "$out_dir"

format="${VPCLINT_FORMAT:-text}"
report="${VPCLINT_OUTPUT:-}"
sarif="$out_dir/results.sarif"
summary="$out_dir/summary.md"
# The requested report may itself be the SARIF or the Markdown: then it is
# written once, where asked, and used for the upload or summary too.
case "$format" in
  sarif) [ -n "$report" ] && sarif="$report" ;;
  markdown) [ -n "$report" ] && summary="$report" ;;
esac

args=(scan --fail-on "${VPCLINT_FAIL_ON:-high}"
      --format sarif --output "sarif=$sarif"
      --format markdown --output "markdown=$summary")
case "$format" in
  sarif | markdown) ;;
  *)
    args+=(--format "$format")
    if [ -n "$report" ]; then
      args+=(--output "$format=$report")
    fi
    ;;
esac
if [ -n "${VPCLINT_CONFIG:-}" ]; then
  args+=(--config "$VPCLINT_CONFIG")
fi
# shellcheck disable=SC2206 # word splitting of extra args is intended
extra=(${VPCLINT_ARGS:-})
# shellcheck disable=SC2206
paths=(${VPCLINT_PATHS:-.})


compare=()
if [ "${VPCLINT_COMPARE_BASE:-false}" = "true" ]; then
  if [ -z "${VPCLINT_BASE_SHA:-}" ]; then
    echo "::notice title=vpclint::compare-base: this run is not for a pull request; scanning without a comparison"
  else
    # The repository holding the scanned path.
    repo="${paths[0]}"
    [ -d "$repo" ] || repo="$(dirname -- "$repo")"
    # actions/checkout fetches only the commit it checks out (the pull
    # request's merge commit, whose first parent is the base commit):
    # fetch the base commit too. One commit is enough: vpclint compares
    # with the merge base when the clone has the history, else with the
    # base commit itself, which for the merge commit is the same change.
    if ! git -C "$repo" cat-file -e "${VPCLINT_BASE_SHA}^{commit}" 2>/dev/null; then
      if ! git -C "$repo" fetch --no-tags --quiet --depth=1 origin "$VPCLINT_BASE_SHA"; then
        echo "::error title=vpclint::compare-base: could not fetch the base commit $VPCLINT_BASE_SHA from origin" >&2
        exit 2
      fi
    fi
    # Code scanning closes fixed alerts itself: the uploaded SARIF lists
    # what the head has, without the fixed findings.
    compare=(--compare "$VPCLINT_BASE_SHA" --fail-on-new --sarif-fixed=false)
  fi
fi

set +e
"$bin" "${args[@]}" ${compare[@]+"${compare[@]}"} "${extra[@]}" "${paths[@]}"
code=$?
set -e

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$summary" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    [ -f "$sarif" ] && echo "sarif=$sarif"
    [ -n "$report" ] && echo "report=$report"
    echo "exit-code=$code"
  } >> "$GITHUB_OUTPUT"
fi
# 0 and 1 are verdicts, decided after the SARIF upload; 2 means the scan
# itself failed and stops the job now.
if [ "$code" -ge 2 ]; then
  echo "::error title=vpclint::vpclint could not complete the scan (exit $code)" >&2
  exit "$code"
fi
exit 0
