package report

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"lockbench/analysis"
	"lockbench/results"
)

// benchMetric is one column of bench.txt: a figure from package analysis
// (the single place derived figures are computed), scaled to the unit.
//
// Time units that can be zero are spelled "nsec": benchstat rescales any
// unit containing the token "ns" to "sec" except when the value is exactly
// 0, which would split one metric into two tables (0 under "ns", the rest
// under "sec") with wrong medians and n. Units whose value is never zero
// (mean latency, percentiles, CPU) keep the usual "ns".
type benchMetric struct {
	unit, better string
	scale        float64
	value        func(results.Run) float64
}

var benchMetrics = []benchMetric{
	{"ns/op", "lower", 1e9, analysis.LatencyMean.Value},
	{"ops/s", "higher", 1, analysis.Throughput.Value},
	{"p50-ns", "lower", 1e9, analysis.LatencyP50.Value},
	{"p99-ns", "lower", 1e9, analysis.LatencyP99.Value},
	{"cpu-ns/op", "lower", 1e9, recordedCPU},
	{"lockwait-nsec/op", "lower", 1e9, withLocks(analysis.LockWaitPerOp.Value)},
	{"heldio-mapwide-nsec/op", "lower", 1e9, analysis.HeldIOMapWidePerOp.Value},
	{"heldio-perkey-nsec/op", "lower", 1e9, analysis.HeldIOPerKeyPerOp.Value},
	{"B/op", "lower", 1, recordedAlloc(func(r results.Run) float64 { return r.Runtime.AllocBytesPerOp })},
	{"allocs/op", "lower", 1, recordedAlloc(func(r results.Run) float64 { return r.Runtime.AllocsPerOp })},
	{"anomalies", "lower", 1, anomalies},
}

// recordedCPU is CPU per operation, NaN when the run recorded no CPU time
// (no run does work for free: zero means "not recorded").
func recordedCPU(r results.Run) float64 {
	if r.Process.CPUUserS+r.Process.CPUSysS <= 0 {
		return math.NaN()
	}
	return analysis.CPUPerOp.Value(r)
}

// withLocks leaves a figure out of runs without measured lock figures
// (--no-instrument lists the locks with zeros): zero lock wait is a
// finding only when measured.
func withLocks(value func(results.Run) float64) func(results.Run) float64 {
	return func(r results.Run) float64 {
		if !analysis.LocksMeasured(r) {
			return math.NaN()
		}
		return value(r)
	}
}

// recordedAlloc keeps the allocation figures of runs that recorded any.
func recordedAlloc(value func(results.Run) float64) func(results.Run) float64 {
	return func(r results.Run) float64 {
		if r.Runtime.AllocBytesPerOp <= 0 && r.Runtime.AllocsPerOp <= 0 {
			return math.NaN()
		}
		return value(r)
	}
}

// anomalies is the total over every kind, for checked runs only.
func anomalies(r results.Run) float64 {
	if !r.Consistency.Checked {
		return math.NaN()
	}
	var n int64
	for _, k := range r.Consistency.Anomalies {
		n += k
	}
	return float64(n)
}

// WriteBenchFormat writes one line per successful run of f in the Go
// benchmark format, named
//
//	BenchmarkLockbench/workload=W/conc=N/strategy=S-GOMAXPROCS
//
// so that `benchstat -col /strategy bench.txt` compares strategies cell by
// cell, one table per metric. The iteration count is the run's operations;
// ns/op is the mean latency of one operation (what a caller waits), not
// wall time divided by operations, which for N concurrent clients would be
// N times smaller; ops/s is the throughput. A figure the run did not record
// is left out rather than written as zero: "anomalies" appears only for runs
// whose consistency was checked, the lock figures only for runs with lock
// figures. Values are written with full precision: rounding creates ties,
// which move the U test's p.
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
	for _, m := range benchMetrics {
		bw.WriteString("Unit " + m.unit + " better=" + m.better + "\n")
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
	for _, m := range benchMetrics {
		if v := m.value(r); !math.IsNaN(v) && !math.IsInf(v, 0) {
			w.WriteString("\t" + strconv.FormatFloat(v*m.scale, 'f', -1, 64) + " " + m.unit)
		}
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
