#!/usr/bin/env bash
# Time the vpclint binary on every directory of a corpus (default
# ../shared/corpus): one scan per top-level directory, then one scan of the
# whole corpus. Prints wall-clock and CPU seconds, files, resources,
# findings and the exit status (2 means vpclint could not read an input).
set -uo pipefail
bin="${1:-bin/vpclint}"
corpus="${2:-../shared/corpus}"
if [ ! -x "$bin" ]; then
  echo "no vpclint binary at $bin (run make build)" >&2
  exit 2
fi
if [ ! -d "$corpus" ]; then
  echo "no corpus at $corpus; skipping the CLI benchmark"
  exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%-45s %7s %7s %6s %9s %8s %4s\n' input wall cpu files resources findings exit
run() {
  local start end status
  start=$(date +%s.%N)
  TIMEFORMAT='%U %S'
  cpu=$( { time "$bin" scan --format json --fail-on none "$1" >"$out" 2>/dev/null; } 2>&1 )
  status=$?
  end=$(date +%s.%N)
  read -r u s <<<"$cpu"
  local files resources findings
  files=$(grep -o '"files": [0-9]*' "$out" | tail -1 | grep -o '[0-9]*$')
  resources=$(grep -o '"resources": [0-9]*' "$out" | tail -1 | grep -o '[0-9]*$')
  findings=$(grep -c '"rule_id"' "$out")
  printf '%-45s %7.2f %7.2f %6s %9s %8s %4s\n' "$1" "$(echo "$end - $start" | bc)" "$(echo "$u + $s" | bc)" \
    "${files:-?}" "${resources:-?}" "$findings" "$status"
}
for d in "$corpus"/*/; do
  run "${d%/}"
done
run "$corpus"
