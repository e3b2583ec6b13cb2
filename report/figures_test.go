package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"lockbench/results"
)

// offeredRate is the open-loop target of openLoopModel.
const offeredRate = 2000

// openLoopModel is the synthetic sweep's mixed-read-write workload run open
// loop at offeredRate, each run's service time a third of its latency, and
// same-context-update left closed loop.
func openLoopModel(t *testing.T) *Model {
	t.Helper()
	f := mutate(func(r *results.Run) {
		if r.Workload != "mixed-read-write" {
			return
		}
		all := r.Latency["all"]
		r.Arrival, r.TargetRate = "open", offeredRate
		r.ServiceLatency = map[string]results.Latency{"all": {Count: all.Count, P50Ns: all.P50Ns / 3, P99Ns: all.P99Ns / 3}}
	})
	return NewModel(f, Options{})
}

func figureOf(t *testing.T, m *Model, workload, kind string) Figure {
	t.Helper()
	for _, f := range Figures(m) {
		if f.Workload == workload && f.Kind == kind {
			return f
		}
	}
	t.Fatalf("no %s figure for %s", kind, workload)
	return Figure{}
}

func workloadOf(t *testing.T, m *Model, name string) *Workload {
	t.Helper()
	for i := range m.Workloads {
		if m.Workloads[i].Name == name {
			return &m.Workloads[i]
		}
	}
	t.Fatalf("no workload %s", name)
	return nil
}

// The throughput figure of an open-loop workload draws the offered rate
// as a dashed reference at every measured concurrency, so a strategy that
// cannot keep up falls visibly below it; a closed-loop figure has none.
func TestThroughputFigureShowsOffered(t *testing.T) {
	m := openLoopModel(t)
	f := figureOf(t, m, "mixed-read-write", FigureThroughput)
	i := slices.IndexFunc(f.Panels[0].Series, func(s Series) bool { return s.label() == offeredLabel })
	if i < 0 {
		t.Fatalf("open-loop throughput figure has no %q series: %+v", offeredLabel, f.Panels[0].Series)
	}
	offered := f.Panels[0].Series[i]
	if !offered.Dashed {
		t.Error("the offered series is not dashed")
	}
	for _, n := range syntheticConcurrency {
		covered := slices.ContainsFunc(offered.Line, func(p Point) bool { return p.X < float64(n) }) &&
			slices.ContainsFunc(offered.Line, func(p Point) bool { return p.X > float64(n) })
		if !covered {
			t.Errorf("the offered line does not span concurrency %d: %v", n, offered.Line)
		}
	}
	for _, p := range offered.Line {
		if p.Y != offeredRate {
			t.Errorf("offered point %v, want y = %d", p, offeredRate)
		}
	}
	if !strings.Contains(f.Caption, "offered") {
		t.Errorf("caption does not explain the offered line: %q", f.Caption)
	}
	if !slices.ContainsFunc(legendEntries(f, nil, nil), func(e legendEntry) bool { return e.Label == offeredLabel && e.Dashed }) {
		t.Errorf("legend has no dashed %q entry", offeredLabel)
	}

	closed := figureOf(t, m, "same-context-update", FigureThroughput)
	for _, s := range closed.Panels[0].Series {
		if s.Dashed || s.label() == offeredLabel {
			t.Errorf("closed-loop throughput figure has a series %q (dashed %v)", s.label(), s.Dashed)
		}
	}
	if strings.Contains(closed.Caption, "offered") {
		t.Errorf("closed-loop caption mentions an offered rate: %q", closed.Caption)
	}
}

// The latency figure of an open-loop workload draws each strategy's
// service time (from the actual start) dashed beside its latency (from the
// intended start), p50 beside p50 and p99 beside p99.
func TestLatencyFigureShowsService(t *testing.T) {
	m := openLoopModel(t)
	w := workloadOf(t, m, "mixed-read-write")
	f := figureOf(t, m, w.Name, FigureLatency)
	if len(f.Panels) != 2 {
		t.Fatalf("%d panels, want 2 (p50, p99)", len(f.Panels))
	}
	scale, _ := timeUnitFor(positiveMax(func() []float64 {
		var all []float64
		for _, c := range w.Cells {
			all = append(all, c.P50.Median, c.P99.Median, c.ServiceP50.Median, c.ServiceP99.Median)
		}
		return all
	}()))
	for pi, of := range []func(Cell) Spread{
		func(c Cell) Spread { return c.ServiceP50 }, func(c Cell) Spread { return c.ServiceP99 },
	} {
		p := f.Panels[pi]
		for _, s := range w.Strategies {
			i := slices.IndexFunc(p.Series, func(ser Series) bool { return ser.Strategy == s && ser.Dashed })
			if i < 0 {
				t.Errorf("panel %q: no dashed service series for %s", p.Title, s)
				continue
			}
			svc := p.Series[i]
			cells := w.cellsOf(s)
			if len(svc.Line) != len(cells) {
				t.Errorf("panel %q, %s: %d service points, want %d", p.Title, s, len(svc.Line), len(cells))
				continue
			}
			for j, c := range cells {
				if want := of(c).Median / scale; svc.Line[j].Y != want || svc.Line[j].X != float64(c.Concurrency) {
					t.Errorf("panel %q, %s: service point %v, want (%d, %g)", p.Title, s, svc.Line[j], c.Concurrency, want)
				}
			}
			// Both series must fit the fixed y range.
			for _, pt := range svc.Line {
				if pt.Y < p.YMin || pt.Y > p.YMax {
					t.Errorf("panel %q, %s: service point %v outside the y range %g–%g", p.Title, s, pt, p.YMin, p.YMax)
				}
			}
			if !slices.ContainsFunc(p.Series, func(ser Series) bool { return ser.Strategy == s && !ser.Dashed && len(ser.Line) > 0 }) {
				t.Errorf("panel %q: the latency series of %s is gone", p.Title, s)
			}
		}
	}
	for _, want := range []string{"intended start", "actual start"} {
		if !strings.Contains(f.Caption, want) {
			t.Errorf("caption lacks %q: %q", want, f.Caption)
		}
	}
	if !slices.ContainsFunc(legendEntries(f, nil, nil), func(e legendEntry) bool { return e.Label == "naive "+serviceLabel && e.Dashed }) {
		t.Errorf("legend has no dashed %q entry", "naive "+serviceLabel)
	}

	closed := figureOf(t, m, "same-context-update", FigureLatency)
	for _, p := range closed.Panels {
		for _, s := range p.Series {
			if s.Dashed {
				t.Errorf("closed-loop latency panel %q has a dashed series %q", p.Title, s.label())
			}
		}
	}
	if strings.Contains(closed.Caption, "service") {
		t.Errorf("closed-loop latency caption mentions service time: %q", closed.Caption)
	}
}

// Dashed series are drawn dashed, in the plot and in its legend: the
// open-loop figures' SVGs have dash patterns, the closed-loop ones none.
func TestDashedSeriesDrawnDashed(t *testing.T) {
	m := openLoopModel(t)
	for _, tc := range []struct {
		workload, kind string
		dashed         bool
	}{
		{"mixed-read-write", FigureThroughput, true},
		{"mixed-read-write", FigureLatency, true},
		{"same-context-update", FigureThroughput, false},
		{"same-context-update", FigureLatency, false},
	} {
		svg, err := RenderFigure(figureOf(t, m, tc.workload, tc.kind), m.Strategies, Options{}, FormatSVG)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(svg, []byte("stroke-dasharray")); got != tc.dashed {
			t.Errorf("%s %s: dashed lines drawn %v, want %v", tc.workload, tc.kind, got, tc.dashed)
		}
	}
}
