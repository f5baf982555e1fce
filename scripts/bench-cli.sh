#!/usr/bin/env bash
# Time the vpclint binary on every directory of a corpus (default
# ../shared/corpus): one scan per top-level directory, then one scan of the
# whole corpus. Prints wall-clock seconds, findings and exit status.
set -uo pipefail
bin="${1:-bin/vpclint}"
corpus="${2:-../shared/corpus}"
if [ ! -d "$corpus" ]; then
  echo "no corpus at $corpus; skipping the CLI benchmark"
  exit 0
fi
printf '%-50s %8s %9s %5s\n' "input" "seconds" "findings" "exit"
run() {
  local start end status findings
  start=$(date +%s.%N)
  findings=$("$bin" scan --format json --fail-on none "$1" 2>/dev/null | grep -c '"rule_id"')
  status=${PIPESTATUS[0]}
  end=$(date +%s.%N)
  printf '%-50s %8.2f %9s %5s\n' "$1" "$(echo "$end - $start" | bc)" "$findings" "$status"
}
for d in "$corpus"/*/; do
  run "${d%/}"
done
run "$corpus"
