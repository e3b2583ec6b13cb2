package report

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/perf/benchfmt"

	"lockbench/results"
)

var (
	update    = flag.Bool("update", false, "rewrite the golden files in testdata")
	renderDir = flag.String("render", "", "render the synthetic report into this directory too, to look at it")
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// rendered renders the synthetic report once for every test that reads
// its files: plotting dominates the package's test time.
var rendered = sync.OnceValues(func() (string, error) {
	dir := *renderDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "lockbench-report-test-"); err != nil {
			return "", err
		}
	}
	// Half the default resolution unless the report is rendered to be
	// looked at: the tests check files and structure, not pixels, and
	// rasterising dominates their time under -race.
	opt := Options{DPI: 48}
	if *renderDir != "" {
		opt = Options{}
	}
	return dir, Render(syntheticFile(), dir, opt)
})

// syntheticModel is the model of syntheticFile, built once: the USL
// bootstrap makes NewModel the slowest step after plotting. Tests only read
// it.
var syntheticModel = sync.OnceValue(func() *Model { return NewModel(syntheticFile(), Options{}) })

func renderedDir(t *testing.T) string {
	t.Helper()
	dir, err := rendered()
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return dir
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if dir, err := rendered(); err == nil && *renderDir == "" && dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func TestSummaryTableGolden(t *testing.T) {
	m := syntheticModel()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	writeMarkdownTable(w, summaryTable(m))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.md.golden", buf.Bytes())
}

func TestBenchFormatGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBenchFormat(&buf, syntheticFile()); err != nil {
		t.Fatal(err)
	}
	golden(t, "bench.txt.golden", buf.Bytes())
}

func TestBenchFormatParses(t *testing.T) {
	f := syntheticFile()
	f.Runs[0].Status, f.Runs[0].Reason = results.StatusFailed, "store down"
	var buf bytes.Buffer
	if err := WriteBenchFormat(&buf, f); err != nil {
		t.Fatal(err)
	}
	r := benchfmt.NewReader(&buf, "bench.txt")
	strategies := map[string]int{}
	n := 0
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Fatalf("syntax error: %v", rec)
		case *benchfmt.Result:
			n++
			name := string(rec.Name)
			if !strings.Contains(name, "/strategy=") {
				t.Errorf("%s: no strategy= in the name", name)
			}
			_, parts := rec.Name.Parts()
			for _, p := range parts {
				if s, ok := strings.CutPrefix(string(p), "/strategy="); ok {
					strategies[s]++
				}
			}
			if rec.GetConfig("goos") != "linux" || rec.GetConfig("pkg") != "lockbench" {
				t.Errorf("%s: config goos=%q pkg=%q", name, rec.GetConfig("goos"), rec.GetConfig("pkg"))
			}
			if _, ok := rec.Value("ops/s"); !ok {
				t.Errorf("%s: no ops/s", name)
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if want := len(f.Runs) - 1; n != want {
		t.Errorf("%d results, want %d (one per successful run)", n, want)
	}
	for _, s := range syntheticStrategies {
		if strategies[s] == 0 {
			t.Errorf("no results for strategy %s", s)
		}
	}
	units := r.Units()
	for _, tc := range []struct {
		unit string
		want int
	}{{"ops/s", +1}, {"ns/op", -1}, {"p99-ns", -1}, {"anomalies", -1}} {
		if got := units.GetBetter(tc.unit); got != tc.want {
			t.Errorf("unit %s: better = %d, want %d", tc.unit, got, tc.want)
		}
	}
}

func TestEveryPlotWritten(t *testing.T) {
	dir := renderedDir(t)
	m := syntheticModel()
	figs := Figures(m)
	if want := len(m.Workloads) * len(figureKinds); len(figs) != want {
		t.Fatalf("%d figures, want %d", len(figs), want)
	}
	for _, fig := range figs {
		for _, format := range []string{FormatPNG, FormatSVG} {
			data, err := os.ReadFile(filepath.Join(dir, fig.Name+"."+format))
			if err != nil {
				t.Error(err)
				continue
			}
			switch format {
			case FormatPNG:
				cfg, err := png.DecodeConfig(bytes.NewReader(data))
				if err != nil || cfg.Width == 0 || cfg.Height == 0 {
					t.Errorf("%s.png: not a PNG image (%v)", fig.Name, err)
				}
			case FormatSVG:
				if !bytes.Contains(data, []byte("<svg")) || len(data) < 1000 {
					t.Errorf("%s.svg: no SVG drawing (%d bytes)", fig.Name, len(data))
				}
			}
		}
	}
	for _, name := range []string{ResultsFile, MarkdownFile, HTMLFile, BenchFile} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty (%v)", name, err)
		}
	}
	back, err := results.ReadFile(filepath.Join(dir, ResultsFile))
	if err != nil || len(back.Runs) != len(syntheticFile().Runs) {
		t.Errorf("results.json does not read back: %v", err)
	}
}

func TestMarkdownLinksEveryPlot(t *testing.T) {
	dir := renderedDir(t)
	md, err := os.ReadFile(filepath.Join(dir, MarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, fig := range Figures(syntheticModel()) {
		if !bytes.Contains(md, []byte("]("+fig.Name+".png)")) {
			t.Errorf("report.md does not show %s.png", fig.Name)
		}
	}
	for _, want := range []string{"## Environment", "## Summary", "## Scaling", "go1.26.8", "Fastest without anomalies"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

func TestRenderRejectsUnknownFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	err := Render(syntheticFile(), dir, Options{Formats: []string{"gif"}})
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("err = %v, want ErrFormat", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the output directory was created: %v", err)
	}
}

func TestWriteHTMLNeedsEveryImage(t *testing.T) {
	m := syntheticModel()
	err := WriteHTML(&bytes.Buffer{}, m, map[string][]byte{})
	if !errors.Is(err, ErrMissingImage) {
		t.Fatalf("err = %v, want ErrMissingImage", err)
	}
}

// TestMarkdownGolden guards every table and sentence of report.md.
func TestMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, syntheticModel()); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.md.golden", buf.Bytes())
}

// benchstatRuns is a sweep where lock wait is zero in some runs and not in
// others (refactored holds no lock across I/O and may wait for none): the
// case in which an "-ns/op" unit made benchstat print two lock-wait tables.
func benchstatRuns() *results.File {
	f := &results.File{Schema: results.Schema, Meta: results.Meta{GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2}}
	for rep := range 6 {
		for i, s := range []string{"naive", "refactored"} {
			wait := int64(0)
			if i == 0 || rep%2 == 0 {
				wait = int64(1_234_567 + 1000*rep)
			}
			f.Runs = append(f.Runs, results.Run{
				Strategy: s, Workload: "w", Concurrency: 4, Repetition: rep, Status: results.StatusOK,
				Ops: 1000, ThroughputOpsS: 1000 + float64(rep)/3,
				Latency: map[string]results.Latency{"all": {Count: 1000, MeanNs: 4e6 + float64(rep), P50Ns: 4e6, P99Ns: 9e6}},
				Locks:   map[string]results.Lock{"manager.contexts": {WaitTotalNs: wait}},
				Process: results.Process{CPUUserS: 0.01},
			})
		}
	}
	return f
}

// TestBenchFormatOneTablePerMetric reads bench.txt as benchstat does
// (benchfmt tidies units) and checks every metric keeps one unit, and
// values keep their precision (1000.333… not 1000).
func TestBenchFormatOneTablePerMetric(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBenchFormat(&buf, benchstatRuns()); err != nil {
		t.Fatal(err)
	}
	r := benchfmt.NewReader(bytes.NewReader(buf.Bytes()), "bench.txt")
	units := map[string]map[string]bool{} // original unit → tidied units
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		for _, v := range res.Values {
			orig := cmp.Or(v.OrigUnit, v.Unit) // OrigUnit is set only when tidied
			if units[orig] == nil {
				units[orig] = map[string]bool{}
			}
			units[orig][v.Unit] = true
		}
	}
	for orig, tidied := range units {
		if len(tidied) != 1 {
			t.Errorf("unit %s is read as %d units %v: benchstat would print %d tables", orig, len(tidied), tidied, len(tidied))
		}
	}
	if !strings.Contains(buf.String(), "1000.3333333333334 ops/s") {
		t.Errorf("throughput not written with full precision:\n%s", buf.String())
	}
}

// TestBenchstatReadsBenchTxt runs the real benchstat (a tool dependency in
// go.mod) and counts its lock-wait tables.
func TestBenchstatReadsBenchTxt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	path := filepath.Join(t.TempDir(), "bench.txt")
	var buf bytes.Buffer
	if err := WriteBenchFormat(&buf, benchstatRuns()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goTool, "tool", "benchstat", "-col", "/strategy", path).CombinedOutput()
	if err != nil {
		t.Fatalf("benchstat: %v\n%s", err, out)
	}
	tables := 0
	for line := range strings.SplitSeq(string(out), "\n") {
		if strings.Contains(line, "lockwait-") && strings.Contains(line, "/op") && strings.Contains(line, "│") {
			tables++
		}
	}
	if tables != 1 {
		t.Errorf("benchstat printed %d lock-wait tables, want 1:\n%s", tables, out)
	}
}
