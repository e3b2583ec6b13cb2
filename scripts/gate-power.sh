#!/usr/bin/env bash
# gate-power.sh measures, on this machine, both error rates of the CI gate
# `bench compare --fail-on-regression`:
#
#   false alarms  the share of A/A comparisons (the same build measured twice)
#                 that fail the gate; goal <= 5%
#   power         the share of comparisons against a planted slowdown (the
#                 sim store's latency raised by SLOWDOWN, 1.2 = 20% slower)
#                 that the gate catches; goal >= 80%
#
# Each pair is three short sweeps, interleaved so machine drift hits both
# comparisons alike: A (baseline), B (baseline again), C (slowed). The gate
# runs on A vs B and on A vs C with its defaults (every metric, threshold 5%,
# Benjamini-Hochberg across cells and metrics) at COUNT repetitions.
#
# Usage: scripts/gate-power.sh                # 20 pairs, about 6 minutes
#        PAIRS=3 scripts/gate-power.sh        # a quick check that it works
# Variables (defaults in brackets): PAIRS [20], COUNT [6], SLOWDOWN [1.2],
# LATENCY_US [1000] (the baseline sim store latency), WORKLOAD
# [many-key-update], CONCURRENCY [1,16], DURATION [100ms], WARMUP [30ms], STRATEGIES [all], GATE_FLAGS [] (extra
# compare flags), KEEP [] (a directory to keep the results files in).
# Run it on a quiet machine: load from other processes is noise the gate
# must tolerate, but it is not the noise CI sees.
set -euo pipefail

PAIRS=${PAIRS:-20}
COUNT=${COUNT:-6}
SLOWDOWN=${SLOWDOWN:-1.2}
LATENCY_US=${LATENCY_US:-1000}
WORKLOAD=${WORKLOAD:-many-key-update}
CONCURRENCY=${CONCURRENCY:-1,16}
DURATION=${DURATION:-100ms}
WARMUP=${WARMUP:-30ms}
STRATEGIES=${STRATEGIES:-}
GATE_FLAGS=${GATE_FLAGS:-}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench="$work/bench"
(cd "$root" && go build -o "$bench" ./cmd/bench)

# The slowed latency, in microseconds: LATENCY_US x SLOWDOWN.
slow_us=$(awk -v l="$LATENCY_US" -v f="$SLOWDOWN" 'BEGIN { printf "%d", l * f + 0.5 }')

sweep() { # sweep OUT STORE
	local args=(run --workload "$WORKLOAD" --concurrency "$CONCURRENCY" --duration "$DURATION"
		--warmup "$WARMUP" --count "$COUNT" --store "$2" --quiet --out "$1")
	[ -n "$STRATEGIES" ] && args+=(--strategies "$STRATEGIES")
	"$bench" "${args[@]}" >/dev/null 2>"$1.err" || { echo "gate-power: sweep into $1 failed:" >&2; cat "$1.err" >&2; exit 2; }
}

gate() { # gate OLD NEW → prints pass|fail; exit 2 of compare aborts
	local rc=0
	# shellcheck disable=SC2086 # GATE_FLAGS is a list of flags
	"$bench" compare "$1" "$2" --fail-on-regression $GATE_FLAGS >"$2.compare" 2>&1 || rc=$?
	case $rc in
	0) echo pass ;;
	1) echo fail ;;
	*) echo "gate-power: compare $1 $2 exited $rc:" >&2; cat "$2.compare" >&2; exit 2 ;;
	esac
}

echo "gate-power: $PAIRS pairs; $WORKLOAD at concurrency $CONCURRENCY, $DURATION windows, count $COUNT;"
echo "            A/A on sim:latency=${LATENCY_US}us, planted slowdown sim:latency=${slow_us}us (x$SLOWDOWN)"
false_alarms=0 caught=0
for i in $(seq 1 "$PAIRS"); do
	d="$work/$i"
	mkdir -p "$d"
	sweep "$d/a" "sim:latency=${LATENCY_US}us"
	sweep "$d/b" "sim:latency=${LATENCY_US}us"
	sweep "$d/c" "sim:latency=${slow_us}us"
	aa=$(gate "$d/a/results.json" "$d/b/results.json")
	ab=$(gate "$d/a/results.json" "$d/c/results.json")
	[ "$aa" = fail ] && false_alarms=$((false_alarms + 1))
	[ "$ab" = fail ] && caught=$((caught + 1))
	reason=""
	[ "$aa" = fail ] && reason=" ($(grep -A1 -E '^[0-9]+ (significant regression|inconclusive)' "$d/b/results.json.compare" | tr -s ' \n' ' ' || true))"
	echo "pair $i: A/A $aa$reason; planted slowdown $([ "$ab" = fail ] && echo caught || echo missed)"
	if [ -n "${KEEP:-}" ]; then
		mkdir -p "$KEEP/$i" && cp -r "$d"/. "$KEEP/$i/"
	fi
done
awk -v n="$PAIRS" -v f="$false_alarms" -v c="$caught" 'BEGIN {
	printf "A/A gate runs that failed:    %d of %d = %.0f%% (goal <= 5%%)\n", f, n, 100 * f / n
	printf "planted slowdowns caught:     %d of %d = %.0f%% (goal >= 80%%)\n", c, n, 100 * c / n
}'
