# harness.awk summarises `go test -bench=BenchmarkHarness ./runner/` (see
# `make harness`): per client count, the median rate of each loop and the
# runner's rate as a share of the go test loops' rates; then the same from
# CPU time per operation, which others' load on the machine disturbs less.
/^BenchmarkHarness\// {
	split($1, part, "/")
	conc = part[2]; loop = part[3]
	sub(/-[0-9]+$/, "", loop); sub(/^loop=/, "", loop)
	for (i = 3; i < NF; i++) {
		if ($(i + 1) == "ns/op") { n[conc, loop]++; v[conc, loop, n[conc, loop]] = $i }
		if ($(i + 1) == "cpu-ns/op") { n[conc, loop "/cpu"]++; v[conc, loop "/cpu", n[conc, loop "/cpu"]] = $i }
	}
	if (!(conc in seen)) { seen[conc] = 1; order[++nconc] = conc }
}
function median(conc, loop,    k, m, i, j, t, a) {
	m = n[conc, loop]
	if (m == 0) return 0
	for (i = 1; i <= m; i++) a[i] = v[conc, loop, i]
	for (i = 2; i <= m; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
END {
	for (c = 1; c <= nconc; c++) {
		conc = order[c]
		runner = median(conc, "runner"); gotest = median(conc, "gotest"); untimed = median(conc, "untimed")
		if (runner == 0 || gotest == 0 || untimed == 0) continue
		printf "%-7s go test -bench %6.2fM ops/s   untimed loop %6.2fM ops/s   runner %6.2fM ops/s   runner/go test %3.0f%%   runner/untimed %3.0f%%  (medians of %d)\n", \
			conc, 1e3 / gotest, 1e3 / untimed, 1e3 / runner, 100 * gotest / runner, 100 * untimed / runner, n[conc, "runner"]
		runner = median(conc, "runner/cpu"); gotest = median(conc, "gotest/cpu"); untimed = median(conc, "untimed/cpu")
		if (runner > 0 && gotest > 0 && untimed > 0)
			printf "%-7s CPU per op:   go test -bench %5.0f ns   untimed loop %5.0f ns   runner %5.0f ns   runner/go test %3.0f%%   runner/untimed %3.0f%%\n", \
				"", gotest, untimed, runner, 100 * gotest / runner, 100 * untimed / runner
	}
}
