#!/usr/bin/env bash
# Decides whether the vpclint GitHub Action (action.yml) uploads its SARIF
# to code scanning. An upload that cannot succeed would fail the job for a
# reason that is not a finding, so it is skipped, with a notice saying why,
# when code scanning is unavailable:
#   - a pull request from a fork: its token cannot write security events;
#   - a private repository without code scanning (GitHub Advanced
#     Security), which the code-scanning API answers with 403 or 404;
#   - a token without the security-events permission (a warning: the
#     workflow needs `permissions: security-events: write`).
# Anything else (a public repository, an API that cannot be reached) is
# uploaded. Tested by scripts/action_test.go against a fake API server.
#
# Inputs (environment):
#   VPCLINT_UPLOAD       the upload-sarif input (true/false)
#   VPCLINT_EVENT_NAME   github.event_name
#   VPCLINT_REPO         github.repository (owner/name)
#   VPCLINT_HEAD_REPO    github.event.pull_request.head.repo.full_name
#   VPCLINT_PRIVATE      github.event.repository.private (true/false)
#   VPCLINT_TOKEN        a token to ask the code-scanning API with
#   GITHUB_API_URL, GITHUB_OUTPUT   set by GitHub Actions
# Output (in $GITHUB_OUTPUT): upload=true|false.
set -euo pipefail

decide() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "upload=$1" >> "$GITHUB_OUTPUT"
  fi
  echo "upload=$1"
  exit 0
}

[ "${VPCLINT_UPLOAD:-true}" = true ] || decide false

case "${VPCLINT_EVENT_NAME:-}" in
  pull_request | pull_request_review | pull_request_review_comment)
    if [ -n "${VPCLINT_HEAD_REPO:-}" ] && [ "${VPCLINT_HEAD_REPO}" != "${VPCLINT_REPO:-}" ]; then
      echo "::notice title=vpclint::not uploading SARIF: this pull request comes from the fork ${VPCLINT_HEAD_REPO}, whose token cannot write code-scanning results; the findings are in the job summary and log"
      decide false
    fi
    ;;
esac

[ "${VPCLINT_PRIVATE:-false}" = true ] || decide true
[ -n "${VPCLINT_TOKEN:-}" ] && [ -n "${VPCLINT_REPO:-}" ] || decide true

body="$(mktemp)"
trap 'rm -f "$body"' EXIT
status="$(curl --silent --show-error --connect-timeout 10 --max-time 30 --output "$body" --write-out '%{http_code}' \
  -H "Authorization: Bearer $VPCLINT_TOKEN" -H "Accept: application/vnd.github+json" \
  "${GITHUB_API_URL:-https://api.github.com}/repos/$VPCLINT_REPO/code-scanning/analyses?per_page=1" || true)"
case "$status" in
  200) decide true ;;
  403 | 404)
    if grep -qiE 'advanced security|code scanning is not enabled|no analysis found' "$body"; then
      if grep -qi 'no analysis found' "$body"; then
        decide true # enabled, nothing uploaded yet
      fi
      echo "::notice title=vpclint::not uploading SARIF: code scanning is not enabled for the private repository $VPCLINT_REPO (it needs GitHub Advanced Security); the findings are in the job summary and log"
      decide false
    fi
    if grep -qi 'resource not accessible' "$body"; then
      echo "::warning title=vpclint::not uploading SARIF: the job's token may not use code scanning; give the job 'permissions: security-events: write' (and 'actions: read', 'contents: read')"
      decide false
    fi
    decide true
    ;;
  *) decide true ;;
esac
