#!/usr/bin/env bash
# Mutation testing with gremlins (a go.mod tool: nothing to install).
# Usage: scripts/mutate.sh [-goal PERCENT] PKGDIR...   (make mutate runs it)
# Each PKGDIR is mutated on its own, with its own tests; the table of
# efficacy per package, after the equivalent mutants listed in
# mutation/equivalent.txt, is printed by internal/cmd/mutationreport.
set -euo pipefail
cd "$(dirname "$0")/.."
goal=0
if [ "${1:-}" = "-goal" ]; then goal=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-goal PERCENT] PKGDIR..." >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
workers=${MUTATE_WORKERS:-2}
args=()
start=$(date +%s)
for dir in "$@"; do
  name=$(echo "$dir" | tr '/.' '__')
  echo "== gremlins on $dir" >&2
  # --timeout-coefficient: the race-free test binaries of this repo run
  # concurrent workloads whose time varies with load; a generous factor
  # keeps a slow run from being counted as a timeout (a kill). The factor
  # multiplies the coverage run's time, so that run must not come from
  # the test cache (GOFLAGS=-count=1), or every timeout shrinks to seconds.
  GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1" go tool gremlins unleash --silent --workers "$workers" --timeout-coefficient 5 \
    --output "$tmp/$name.json" "$dir" >&2
  args+=("$dir=$tmp/$name.json")
done
go run ./internal/cmd/mutationreport -goal "$goal" "${args[@]}"
echo "mutation testing took $(( $(date +%s) - start )) s" >&2
