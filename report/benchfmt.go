package report

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"lockbench/results"
)

// benchUnits are the units of bench.txt with the direction benchstat must
// read them in (golang.org/x/perf/benchfmt unit metadata).
var benchUnits = []struct{ unit, better string }{
	{"ns/op", "lower"},
	{"ops/s", "higher"},
	{"p50-ns", "lower"},
	{"p99-ns", "lower"},
	{"cpu-ns/op", "lower"},
	{"lock-wait-ns/op", "lower"},
	{"B/op", "lower"},
	{"allocs/op", "lower"},
	{"anomalies", "lower"},
}

// WriteBenchFormat writes one line per successful run of f in the Go
// benchmark format, named
//
//	BenchmarkLockbench/workload=W/conc=N/strategy=S-GOMAXPROCS
//
// so that `benchstat -col /strategy bench.txt` compares strategies cell by
// cell. The iteration count is the run's operations; ns/op is the mean
// latency of one operation (what a caller waits), not wall time divided by
// operations, which for N concurrent clients would be N times smaller;
// ops/s is the throughput. A figure the run did not record is left out
// rather than written as zero: "anomalies" appears only for runs whose
// consistency was checked, "lock-wait-ns/op" only for runs with lock
// figures.
func WriteBenchFormat(w io.Writer, f *results.File) error {
	if f == nil {
		f = &results.File{}
	}
	bw := bufio.NewWriter(w)
	header := []struct{ key, value string }{
		{"goos", f.Meta.GOOS}, {"goarch", f.Meta.GOARCH}, {"pkg", "lockbench"}, {"cpu", f.Meta.CPUModel},
	}
	for _, h := range header {
		if h.value != "" {
			bw.WriteString(h.key + ": " + h.value + "\n")
		}
	}
	for _, u := range benchUnits {
		bw.WriteString("Unit " + u.unit + " better=" + u.better + "\n")
	}
	suffix := ""
	if f.Meta.GOMAXPROCS > 1 {
		suffix = "-" + strconv.Itoa(f.Meta.GOMAXPROCS)
	}
	for _, r := range f.Runs {
		if r.Status != results.StatusOK && r.Status != "" {
			continue
		}
		writeBenchLine(bw, r, suffix)
	}
	return bw.Flush()
}

func writeBenchLine(w *bufio.Writer, r results.Run, suffix string) {
	w.WriteString("BenchmarkLockbench/workload=" + benchName(r.Workload) +
		"/conc=" + strconv.Itoa(r.Concurrency) + "/strategy=" + benchName(r.Strategy) + suffix)
	w.WriteString("\t" + strconv.FormatInt(r.Ops, 10))
	value := func(v float64, unit string) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			w.WriteString("\t" + benchNumber(v) + " " + unit)
		}
	}
	all, hasLatency := r.Latency["all"]
	if hasLatency && all.Count > 0 {
		value(all.MeanNs, "ns/op")
	}
	value(r.ThroughputOpsS, "ops/s")
	if hasLatency && all.Count > 0 {
		value(float64(all.P50Ns), "p50-ns")
		value(float64(all.P99Ns), "p99-ns")
	}
	// A zero CPU time or allocation count means "not recorded" (no run
	// does work for free); zero lock wait is a finding when the run has
	// lock figures at all.
	if cpu := r.Process.CPUUserS + r.Process.CPUSysS; r.Ops > 0 && cpu > 0 {
		value(cpu*1e9/float64(r.Ops), "cpu-ns/op")
	}
	if r.Ops > 0 && len(r.Locks) > 0 {
		var wait int64
		for _, l := range r.Locks {
			wait += l.WaitTotalNs
		}
		value(float64(wait)/float64(r.Ops), "lock-wait-ns/op")
	}
	if r.Runtime.AllocBytesPerOp > 0 || r.Runtime.AllocsPerOp > 0 {
		value(r.Runtime.AllocBytesPerOp, "B/op")
		value(r.Runtime.AllocsPerOp, "allocs/op")
	}
	if r.Consistency.Checked {
		var n int64
		for _, k := range r.Consistency.Anomalies {
			n += k
		}
		value(float64(n), "anomalies")
	}
	w.WriteString("\n")
}

// benchName keeps a name usable inside a benchmark name: no spaces, no '/'
// (it separates sub-benchmarks) and no '=' (it separates key from value).
func benchName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '/' || r == '=' {
			return '_'
		}
		return r
	}, s)
}

// benchNumber prints a value compactly but exactly enough for statistics.
func benchNumber(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}
