package report

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lockbench/results"
)

// mutate returns the synthetic file changed by edit, applied to every run.
func mutate(edit func(r *results.Run)) *results.File {
	f := syntheticFile()
	for i := range f.Runs {
		edit(&f.Runs[i])
	}
	return f
}

func TestSummaryRows(t *testing.T) {
	tests := []struct {
		name string
		file *results.File
		// workload whose row is checked
		workload string
		// wantFastest and the phrases the row's cells must contain
		wantFastest string
		wantCells   map[int][]string
	}{
		{
			name: "fastest with anomalies names the clean one", file: syntheticFile(), workload: "same-context-update",
			wantFastest: "refactored",
			wantCells: map[int][]string{
				2: {"sharded (1.04k)"},
				3: {"×1.07"},
				4: {"refactored (16.8k; ×17.3"},
				5: {"180 anomalies", "store_divergence"},
				6: {"sharded 0 / ", "naive "},
			},
		},
		{
			name: "clean fastest", file: syntheticFile(), workload: "mixed-read-write",
			wantFastest: "refactored",
			wantCells:   map[int][]string{2: {"refactored"}, 4: {"refactored (the same)"}, 5: {"none (15 runs checked)"}},
		},
		{
			name: "consistency not checked",
			file: mutate(func(r *results.Run) {
				r.Consistency = results.Consistency{}
			}),
			workload: "same-context-update", wantFastest: "refactored",
			wantCells: map[int][]string{5: {"not checked"}, 2: {"unknown: not checked"}},
		},
		{
			name: "partly checked never passes as clean",
			file: mutate(func(r *results.Run) {
				if r.Workload == "mixed-read-write" && r.Repetition == 0 {
					r.Consistency.Checked = false
				}
			}),
			workload: "mixed-read-write", wantFastest: "refactored",
			wantCells: map[int][]string{5: {"none found (only 12 of 15 runs checked)"}, 2: {"none"}},
		},
		{
			name: "baseline fastest",
			file: mutate(func(r *results.Run) {
				if r.Strategy == "naive" {
					r.ThroughputOpsS *= 100
				}
			}),
			workload: "mixed-read-write", wantFastest: "naive",
			wantCells: map[int][]string{2: {"naive"}, 3: {"is the baseline"}, 4: {"the same"}},
		},
		{
			name: "not significant shows ~",
			file: mutate(func(r *results.Run) {
				// Interleaved samples, refactored's median 5 ops/s higher.
				if r.Workload == "mixed-read-write" && r.Concurrency == 64 {
					switch r.Strategy {
					case "naive":
						r.ThroughputOpsS = 30000 + 10*float64(r.Repetition)
					case "refactored":
						r.ThroughputOpsS = 30005 + 10*float64(4-r.Repetition)
					}
				}
			}),
			workload: "mixed-read-write", wantFastest: "refactored",
			wantCells: map[int][]string{3: {"~ ×"}, 4: {"the same"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Only the workload under test: the USL bootstrap of the
			// others would only slow the test down.
			f := *tc.file
			f.Runs = nil
			for _, r := range tc.file.Runs {
				if r.Workload == tc.workload {
					f.Runs = append(f.Runs, r)
				}
			}
			m := NewModel(&f, Options{})
			tab := summaryTable(m)
			var row []string
			for i, s := range m.Summary {
				if s.Workload == tc.workload {
					row = tab.Rows[i]
					if tc.wantFastest != "" && s.Fastest != tc.wantFastest {
						t.Errorf("fastest = %s, want %s", s.Fastest, tc.wantFastest)
					}
				}
			}
			if row == nil {
				t.Fatalf("no row for %s", tc.workload)
			}
			for col, phrases := range tc.wantCells {
				for _, p := range phrases {
					if !strings.Contains(row[col], p) {
						t.Errorf("column %q = %q, want it to contain %q", tab.Header[col], row[col], p)
					}
				}
			}
		})
	}
}

// partialFile is a sweep cut short: a cell missing, runs failed and
// interrupted, a workload measured at one concurrency only.
func partialFile() *results.File {
	f := syntheticFile()
	f.Meta.Interrupted = true
	var runs []results.Run
	for _, r := range f.Runs {
		switch {
		case r.Workload == "same-context-update" && r.Strategy == "sharded" && r.Concurrency == 64:
			continue // never measured
		case r.Workload == "mixed-read-write" && r.Concurrency != 8:
			continue // one level only: no USL fit
		case r.Workload == "mixed-read-write" && r.Strategy == "naive" && r.Repetition == 4:
			r.Status, r.Reason = results.StatusInterrupted, ""
		case r.Workload == "same-context-update" && r.Strategy == "naive" && r.Concurrency == 8 && r.Repetition == 1:
			r.Status, r.Reason = results.StatusFailed, "store: injected failure"
		}
		runs = append(runs, r)
	}
	f.Runs = runs
	return f
}

func TestPartialFileRenders(t *testing.T) {
	dir := t.TempDir()
	// A low resolution: the test is about what a partial file renders,
	// not about pixels.
	if err := Render(partialFile(), dir, Options{Formats: []string{FormatPNG}, DPI: 40}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, MarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"The sweep was interrupted",
		"## Runs without figures", "store: injected failure", "interrupted",
		"## Missing cells", "sharded at N=64",
		"Insufficient data for a fit",
		"anomalies",
	} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "same-context-update-usl.svg")); !os.IsNotExist(err) {
		t.Errorf("an SVG was written although only PNG was asked for")
	}
	m := NewModel(partialFile(), Options{})
	for _, w := range m.Workloads {
		if w.Name == "same-context-update" && w.Top != 8 {
			t.Errorf("Top = %d, want 8: the highest level every strategy reached", w.Top)
		}
	}
}

func TestEmptyFileRenders(t *testing.T) {
	f := &results.File{Schema: results.Schema}
	dir := t.TempDir()
	if err := Render(f, dir, Options{Formats: []string{FormatSVG}}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{MarkdownFile, HTMLFile, BenchFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestRepresentativeIsMedianRun(t *testing.T) {
	var runs []results.Run
	for i, x := range []float64{50, 10, 40, 20, 30} {
		runs = append(runs, results.Run{Repetition: i, ThroughputOpsS: x})
	}
	if got := representative(runs); got.Repetition != 4 {
		t.Errorf("repetition %d, want 4 (throughput 30, the median)", got.Repetition)
	}
	if got := representative(runs[:4]); got.Repetition != 3 {
		t.Errorf("even count: repetition %d, want 3 (the lower middle, 20)", got.Repetition)
	}
}

func TestSpread(t *testing.T) {
	s := spreadOf([]float64{3, 1, 2, 10})
	if s.Median != 2.5 || s.Min != 1 || s.Max != 10 || s.N != 4 {
		t.Errorf("spread = %+v", s)
	}
	if e := spreadOf(nil); !math.IsNaN(e.Median) || e.N != 0 {
		t.Errorf("empty spread = %+v", e)
	}
}

// TestDegenerateRunsRender: runs that completed nothing (zero throughput,
// no latency, no timeline) must not break the plots' log axes.
func TestDegenerateRunsRender(t *testing.T) {
	f := mutate(func(r *results.Run) {
		if r.Strategy == "naive" && r.Concurrency == 64 {
			r.Ops, r.ThroughputOpsS = 0, 0
			r.Latency = map[string]results.Latency{}
			for i := range r.Timeline {
				r.Timeline[i].Ops, r.Timeline[i].P99Ns = 0, 0
			}
			r.Locks = nil
		}
	})
	m := NewModel(f, Options{})
	for _, fig := range Figures(m) {
		if _, err := RenderFigure(fig, m.Strategies, Options{}, FormatSVG); err != nil {
			t.Errorf("%s: %v", fig.Name, err)
		}
	}
}

// Open loop: the cell table shows what was offered beside what was
// achieved, and the service time beside the latency; failed operations get
// their share beside the throughput (goodput).
func TestOpenLoopShowsOfferedAndService(t *testing.T) {
	f := mutate(func(r *results.Run) {
		r.FailedOps, r.ErrorRate = 30, 0.034
		r.Arrival, r.TargetRate = "open", 2000
		r.ServiceLatency = map[string]results.Latency{"all": {Count: 10, P50Ns: 700_000, P99Ns: 1_500_000}}
	})
	f.Runs = slices.DeleteFunc(f.Runs, func(r results.Run) bool { return r.Workload != "mixed-read-write" })
	m := NewModel(f, Options{})
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, m); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"Offered ops/s", "Service p50", "Service p99", "| 2.00k |", "700µs", "Failed ops", "3.4%"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md of an open-loop sweep lacks %q", want)
		}
	}
}
