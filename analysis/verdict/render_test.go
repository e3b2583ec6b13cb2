package verdict

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"lockbench/analysis"
	"lockbench/results"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update to rewrite after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// latencyRun is run with a p99 latency of p99 microseconds.
func latencyRun(strategy string, conc, rep int, tput, p99 float64) results.Run {
	r := run(strategy, rep, tput)
	r.Concurrency = conc
	r.Latency = map[string]results.Latency{"all": {Count: 100, P99Ns: int64(p99 * 1e3)}}
	return r
}

// richSides builds two files in which every verdict occurs once: a
// regression with a new anomaly kind (a), an improvement whose anomalies
// were fixed (b), an inconclusive cell that turned not linearizable (c), a
// cell only in old (d) and one only in new (e), and p99 latency judged
// lower-is-better beside throughput.
func richSides() (old, new *results.File) {
	six := []float64{1000, 1010, 1020, 1030, 1040, 1050}
	old = &results.File{Schema: results.Schema, Meta: results.Meta{GoVersion: "go1.26.0", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2, Suite: "quick"}}
	new = &results.File{Schema: results.Schema, Meta: results.Meta{GoVersion: "go1.26.1", GOMAXPROCS: 4, Interrupted: true}}
	for i, v := range six {
		old.Runs = append(old.Runs, latencyRun("a", 4, i, v, 100+float64(i)))
		a := latencyRun("a", 4, i, 0.8*v, 130+float64(i))
		a.Consistency.Anomalies = map[string]int64{"zombie": 2, "lost_refresh": 0}
		new.Runs = append(new.Runs, a)

		b := latencyRun("b", 4, i, v, 100+float64(i))
		b.Consistency.Anomalies = map[string]int64{"lost_refresh": 1}
		b.Consistency.Linearizable = results.LinOK
		old.Runs = append(old.Runs, b)
		new.Runs = append(new.Runs, latencyRun("b", 4, i, 1.2*v, 70+float64(i)))
	}
	for i, v := range six[:2] {
		c := latencyRun("c", 4, i, v, 100)
		c.Consistency.Linearizable = results.LinOK
		old.Runs = append(old.Runs, c)
		c = latencyRun("c", 4, i, 0.5*v, 100)
		c.Consistency.Linearizable = results.LinIllegal
		new.Runs = append(new.Runs, c)
	}
	old.Runs = append(old.Runs, latencyRun("d", 8, 0, 1, 1))
	new.Runs = append(new.Runs, latencyRun("e", 8, 0, 1, 1))
	return old, new
}

func richComparison(t *testing.T, opt Options) *Comparison {
	t.Helper()
	old, new := richSides()
	if opt.Metrics == nil {
		opt.Metrics = []analysis.Metric{analysis.Throughput, analysis.LatencyP99}
	}
	c, err := Compare(old, new, opt)
	if err != nil {
		t.Fatal(err)
	}
	c.OldName, c.NewName = "old.json", "new_run.json"
	return c
}

func TestRichVerdicts(t *testing.T) {
	c := richComparison(t, Options{Threshold: 0.05})
	verdicts := map[string]string{}
	for _, d := range c.Deltas {
		verdicts[d.Metric.Name+" "+d.Cell.Old.Strategy] = d.Verdict
	}
	want := map[string]string{
		"throughput a": Regression, "throughput b": Improvement, "throughput c": Inconclusive,
		"p99 a": Regression, "p99 b": Improvement, "p99 c": FewSamples,
	}
	for k, v := range want {
		if verdicts[k] != v {
			t.Errorf("%s: verdict %q, want %q", k, verdicts[k], v)
		}
	}
	correct := map[string]Correctness{}
	for _, k := range c.Correctness {
		correct[k.Cell.Old.Strategy] = k
	}
	if k := correct["a"]; k.Verdict != CorrectnessRegression || len(k.NewKinds) != 1 || k.NewKinds[0] != "zombie" || k.TurnedIllegal {
		t.Errorf("a: %+v, want a regression by the new kind zombie only", k)
	}
	if k := correct["b"]; k.Verdict != Fixed || k.Old.Total() != 6 || k.Old.Checked != 6 || k.Old.Linearizable[results.LinOK] != 6 {
		t.Errorf("b: %+v, want fixed after 6 lost_refresh in 6 checked, linearizable runs", k)
	}
	if k := correct["c"]; k.Verdict != CorrectnessRegression || !k.TurnedIllegal || len(k.NewKinds) != 0 {
		t.Errorf("c: %+v, want a regression by turning not linearizable", k)
	}
	if len(c.OnlyOld) != 1 || c.OnlyOld[0].Strategy != "d" || len(c.OnlyNew) != 1 || c.OnlyNew[0].Strategy != "e" {
		t.Errorf("only old %v, only new %v: want d and e", c.OnlyOld, c.OnlyNew)
	}
	if g := c.Gate(false); g.Pass || len(g.Reasons) != 3 {
		t.Errorf("gate %+v: want a failure for correctness, regressions and inconclusive", g)
	}
	if g := c.Gate(true); g.Pass || len(g.Reasons) != 2 {
		t.Errorf("gate allowing inconclusive %+v: want a failure for correctness and regressions", g)
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := richComparison(t, Options{Threshold: 0.05}).WriteText(&b, false); err != nil {
		t.Fatal(err)
	}
	golden(t, "rich.txt", b.Bytes())
}

func TestWriteTextMapped(t *testing.T) {
	c := richComparison(t, Options{Threshold: 0.1, Metrics: []analysis.Metric{analysis.Throughput}, Map: []Pair{{"b", "a"}, {"d", "e"}}})
	var b bytes.Buffer
	if err := c.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	golden(t, "mapped.txt", b.Bytes())
}

func TestWriteMarkdown(t *testing.T) {
	for _, allow := range []bool{false, true} {
		var b bytes.Buffer
		if err := richComparison(t, Options{Threshold: 0.05}).WriteMarkdown(&b, allow); err != nil {
			t.Fatal(err)
		}
		name := "rich.md"
		if allow {
			name = "rich_allow.md"
		}
		golden(t, name, b.Bytes())
	}
}

// A comparison with nothing against it passes, and says what it accepted.
func TestWriteMarkdownPass(t *testing.T) {
	old, new := richSides()
	for _, f := range []*results.File{old, new} {
		var kept []results.Run
		for _, r := range f.Runs {
			if r.Strategy == "c" {
				r.Consistency = results.Consistency{}
				kept = append(kept, r)
			}
		}
		f.Runs = kept
	}
	c, err := Compare(old, new, Options{Metrics: []analysis.Metric{analysis.Throughput}, Map: []Pair{{"c", "c"}}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.WriteMarkdown(&b, true); err != nil {
		t.Fatal(err)
	}
	golden(t, "pass.md", b.Bytes())
	b.Reset()
	if err := c.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	golden(t, "pass.txt", b.Bytes())
}

func TestJSON(t *testing.T) {
	c := richComparison(t, Options{Threshold: 0.05, Map: []Pair{{"a", "a"}, {"b", "b"}, {"c", "c"}, {"d", "e"}}})
	got, err := json.MarshalIndent(c.JSON(false), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "rich.json", append(got, '\n'))
}

// errAfter fails every write after the first n bytes.
type errAfter struct{ n int }

func (w *errAfter) Write(p []byte) (int, error) {
	if w.n < len(p) {
		return 0, os.ErrClosed
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	c := richComparison(t, Options{Threshold: 0.05})
	if err := c.WriteText(&errAfter{n: 10}, false); err == nil {
		t.Error("WriteText: no error from a failing writer")
	}
	if err := c.WriteMarkdown(&errAfter{n: 10}, false); err == nil {
		t.Error("WriteMarkdown: no error from a failing writer")
	}
}
