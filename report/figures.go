package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Figure kinds, one figure of each per workload.
const (
	FigureThroughput  = "throughput"
	FigureLatency     = "latency"
	FigureSpectrum    = "spectrum"
	FigureLockWait    = "lock-wait"
	FigureHeldIO      = "held-io"
	FigureResources   = "cpu-memory"
	FigureUSL         = "usl"
	FigureTimeline    = "timeline"
	FigureUtilization = "utilization"
)

// figureKinds in the order a workload section shows them.
var figureKinds = []string{
	FigureThroughput, FigureLatency, FigureSpectrum, FigureLockWait,
	FigureHeldIO, FigureResources, FigureUSL, FigureTimeline, FigureUtilization,
}

// Figure is one plot file: plain data, drawn by RenderFigure.
type Figure struct {
	// Name is the file stem: "<workload>-<kind>".
	Name     string
	Workload string
	Kind     string
	Title    string
	// Caption says what the figure shows and how it was drawn; it is also
	// the image's alt text.
	Caption string
	Panels  []Panel
	// Cols is the number of panel columns (rows follow).
	Cols int
	// Grow multiplies the height of the panels when above 1: a panel with
	// many bars needs room for their labels.
	Grow float64
}

// Panel is one set of axes.
type Panel struct {
	Title, XLabel, YLabel string
	XLog, YLog            bool
	// XTicks and YTicks replace the automatic ticks when set.
	XTicks, YTicks []Tick
	// YMin and YMax fix the y range when YMax > YMin.
	YMin, YMax float64
	// XMin and XMax fix the x range when XMax > XMin.
	XMin, XMax float64
	Series     []Series
	// Bars are horizontal bars, grouped by Group (one row of bars per
	// group, one bar per strategy).
	Bars []Bar
	// Empty is the message drawn when the panel has no data.
	Empty string
}

// Tick is an axis tick with its label ("" for a minor tick).
type Tick struct {
	Value float64
	Label string
}

// Series is one strategy's data on a panel, drawn in its style.
type Series struct {
	Strategy string
	// Label is the legend text; empty means Strategy.
	Label string
	// Line is drawn as a line through its points, with markers when
	// Markers is set.
	Line    []Point
	Markers bool
	// Dashed draws the line dashed: a reference (the offered rate) or a
	// second figure of the same strategy (service time beside latency).
	Dashed bool
	// Low and High, when set, give an error bar at every Line point.
	Low, High []float64
	// Scatter points are drawn as markers only.
	Scatter []Point
}

// Point is a data point.
type Point struct{ X, Y float64 }

// Bar is one horizontal bar.
type Bar struct {
	Group, Strategy string
	Value           float64
	// Label is written at the end of the bar.
	Label string
}

func (s Series) label() string {
	if s.Label != "" {
		return s.Label
	}
	return s.Strategy
}

// hasData reports whether the panel has anything to draw.
func (p Panel) hasData() bool {
	if len(p.Bars) > 0 {
		return true
	}
	for _, s := range p.Series {
		if len(s.Line) > 0 || len(s.Scatter) > 0 {
			return true
		}
	}
	return false
}

// Figures returns every figure of the report, per workload in figureKinds
// order. File stems are unique even when two workload names sanitise alike.
func Figures(m *Model) []Figure {
	var out []Figure
	stems := map[string]int{}
	for i := range m.Workloads {
		w := &m.Workloads[i]
		stem := fileStem(w.Name)
		if n := stems[stem]; n > 0 {
			stems[stem]++
			stem += "-" + strconv.Itoa(n+1)
		} else {
			stems[stem] = 1
		}
		for _, kind := range figureKinds {
			f := workloadFigure(m, w, kind)
			f.Name, f.Workload, f.Kind = stem+"-"+kind, w.Name, kind
			out = append(out, f)
		}
	}
	return out
}

// fileStem keeps letters, digits, '.', '_' and '-' of a workload name.
func fileStem(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "workload"
	}
	return b.String()
}

func workloadFigure(m *Model, w *Workload, kind string) Figure {
	switch kind {
	case FigureThroughput:
		return throughputFigure(w)
	case FigureLatency:
		return latencyFigure(w)
	case FigureSpectrum:
		return spectrumFigure(w)
	case FigureLockWait:
		return lockWaitFigure(w)
	case FigureHeldIO:
		return heldIOFigure(w)
	case FigureResources:
		return resourcesFigure(m, w)
	case FigureUSL:
		return uslFigure(w)
	case FigureTimeline:
		return timelineFigure(w)
	case FigureUtilization:
		return utilizationFigure(w)
	}
	panic("report: unknown figure kind " + kind)
}

const concurrencyLabel = "concurrency (clients, log scale)"

// concurrencyTicks labels exactly the measured levels.
func concurrencyTicks(levels []int) []Tick {
	ticks := make([]Tick, 0, len(levels))
	for _, c := range levels {
		ticks = append(ticks, Tick{Value: float64(c), Label: strconv.Itoa(c)})
	}
	return ticks
}

// dodge spreads strategies sideways around a concurrency level (a few
// percent on the log axis) so their error bars do not hide each other.
func dodge(i, n int) float64 {
	return math.Exp2(0.06 * (float64(i) - float64(n-1)/2))
}

// preferLog decides a value axis: logarithmic when the positive values
// span more than ratio, so a strategy 100 times slower is not a flat line
// at zero.
func preferLog(values []float64, ratio float64) bool {
	lo, hi := math.Inf(1), 0.0
	for _, v := range values {
		if v > 0 && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return hi > 0 && hi/lo > ratio
}

// throughputSpanForLog: above this max/min ratio throughput is drawn on a
// log axis.
const throughputSpanForLog = 10

func throughputFigure(w *Workload) Figure {
	p := Panel{
		XLabel: concurrencyLabel, YLabel: "throughput (ops/s)", XLog: true,
		XTicks: concurrencyTicks(w.Concurrencies),
		Empty:  "no successful runs",
	}
	var all []float64
	for i, s := range w.Strategies {
		ser := Series{Strategy: s, Markers: true}
		for _, c := range w.cellsOf(s) {
			if math.IsNaN(c.Throughput.Median) {
				continue
			}
			x := float64(c.Concurrency) * dodge(i, len(w.Strategies))
			ser.Line = append(ser.Line, Point{x, c.Throughput.Median})
			ser.Low = append(ser.Low, c.Throughput.Min)
			ser.High = append(ser.High, c.Throughput.Max)
			all = append(all, c.Throughput.Min, c.Throughput.Max)
		}
		p.Series = append(p.Series, ser)
	}
	offered := offeredSeries(w)
	if len(offered.Line) > 0 {
		p.Series = append(p.Series, offered)
		for _, pt := range offered.Line {
			all = append(all, pt.Y)
		}
	}
	p.YLog = preferLog(all, throughputSpanForLog)
	caption := fmt.Sprintf("Throughput of %s against concurrency: median over the repetitions of each cell, bars from the slowest to the fastest repetition", w.Name)
	if len(offered.Line) > 0 {
		caption += "; the dashed grey line is the rate the open-loop schedule offered at each concurrency, so a strategy well below it did not keep up (its queue, and its latency, grew during the window)"
	}
	if p.YLog {
		caption += "; log scale on both axes, as the strategies differ by more than ×" + strconv.Itoa(throughputSpanForLog)
	}
	return Figure{Title: w.Name + ": throughput", Caption: caption + ".", Panels: []Panel{p}, Cols: 1}
}

// offeredLabel is the legend text of the offered-rate reference line.
const offeredLabel = "offered"

// offeredSpan is how far the offered-rate line reaches either side of a
// concurrency level (a factor on the log axis): past the dodged markers,
// so that a workload measured at one level still gets a visible line.
const offeredSpan = 1.25

// offeredSeries is the open-loop target rate per concurrency level (the
// highest any strategy's cell there was offered; they are normally the
// same), as a dashed line in no strategy's style; empty for closed loop.
func offeredSeries(w *Workload) Series {
	ser := Series{Label: offeredLabel, Dashed: true}
	for _, n := range w.Concurrencies {
		rate := 0.0
		for _, c := range w.Cells {
			if c.Concurrency == n && c.Offered.Median > rate {
				rate = c.Offered.Median
			}
		}
		if rate == 0 {
			continue
		}
		x := float64(n)
		ser.Line = append(ser.Line, Point{x / offeredSpan, rate}, Point{x * offeredSpan, rate})
	}
	return ser
}

func latencyFigure(w *Workload) Figure {
	var all []float64
	for _, c := range w.Cells {
		all = append(all, c.P50.Median, c.P99.Median, c.ServiceP50.Median, c.ServiceP99.Median)
	}
	scale, unit := timeUnitFor(positiveMax(all))
	lo, hi := positiveRange(all)
	var panels []Panel
	service := false
	for _, q := range []struct {
		name             string
		latency, service func(Cell) Spread
	}{
		{"p50", func(c Cell) Spread { return c.P50 }, func(c Cell) Spread { return c.ServiceP50 }},
		{"p99", func(c Cell) Spread { return c.P99 }, func(c Cell) Spread { return c.ServiceP99 }},
	} {
		p := Panel{
			Title: q.name + " latency", XLabel: concurrencyLabel, YLabel: q.name + " latency (" + unit + ", log scale)",
			XLog: true, YLog: true, XTicks: concurrencyTicks(w.Concurrencies),
			YMin: lo / scale, YMax: hi / scale, Empty: "no latency recorded",
		}
		var services []Series
		for _, s := range w.Strategies {
			ser := Series{Strategy: s, Markers: true}
			svc := Series{Strategy: s, Label: s + " " + serviceLabel, Markers: true, Dashed: true}
			for _, c := range w.cellsOf(s) {
				if v := q.latency(c).Median; v > 0 {
					ser.Line = append(ser.Line, Point{float64(c.Concurrency), v / scale})
				}
				if v := q.service(c).Median; v > 0 {
					svc.Line = append(svc.Line, Point{float64(c.Concurrency), v / scale})
				}
			}
			p.Series = append(p.Series, ser)
			if len(svc.Line) > 0 {
				services = append(services, svc)
			}
		}
		if len(services) > 0 {
			service = true
			p.Title = q.name + " latency and service time"
			p.YLabel = q.name + " (" + unit + ", log scale)"
			p.Series = append(p.Series, services...)
		}
		panels = append(panels, p)
	}
	caption := fmt.Sprintf("Median (p50) and 99th-percentile (p99) latency of %s against concurrency, over all operations: median over the repetitions of each cell.", w.Name)
	if service {
		caption += " Open loop: latency (solid) counts from each operation's intended start on the schedule, so it includes the time spent queued behind a server that fell behind; service time (dashed, same colour) counts from its actual start. The gap between the two is queueing: for a free worker, or behind a strategy that did not keep up with the offered rate."
	}
	return Figure{Title: w.Name + ": latency", Caption: caption, Panels: panels, Cols: 2}
}

// serviceLabel follows a strategy's name in the legend of its service-time
// series.
const serviceLabel = "service"

// spectrumTicks label 1/(1−p) as the percentile p.
var spectrumTicks = []Tick{
	{1, "0%"}, {10, "90%"}, {100, "99%"}, {1e3, "99.9%"}, {1e4, "99.99%"}, {1e5, "99.999%"}, {1e6, "99.9999%"},
}

func spectrumFigure(w *Workload) Figure {
	var all []float64
	for _, r := range w.Representative {
		for _, sp := range r.Spectrum {
			all = append(all, float64(sp.ValueNs)/1e9)
		}
	}
	scale, unit := timeUnitFor(positiveMax(all))
	p := Panel{
		XLabel: "percentile (log scale of 1/(1−p))", YLabel: "latency (" + unit + ", log scale)",
		XLog: true, YLog: true, Empty: "no latency spectrum recorded",
	}
	maxX := 1.0
	for _, r := range w.Representative {
		ser := Series{Strategy: r.Strategy, Label: r.Strategy}
		if r.Concurrency != w.Top {
			ser.Label = fmt.Sprintf("%s (N=%d)", r.Strategy, r.Concurrency)
		}
		for _, sp := range r.Spectrum {
			x, ok := spectrumX(sp.Percentile)
			if !ok || sp.ValueNs <= 0 {
				continue
			}
			maxX = math.Max(maxX, x)
			ser.Line = append(ser.Line, Point{x, float64(sp.ValueNs) / 1e9 / scale})
		}
		p.Series = append(p.Series, ser)
	}
	for _, t := range spectrumTicks {
		if t.Value <= maxX*1.0001 {
			p.XTicks = append(p.XTicks, t)
		}
	}
	p.XMin, p.XMax = 1, math.Max(10, maxX)
	return Figure{
		Title: fmt.Sprintf("%s: latency by percentile at N=%d", w.Name, w.Top),
		Caption: fmt.Sprintf("Latency percentile spectrum of %s at concurrency %d, HdrHistogram style: one run per strategy (the repetition with the median throughput); the 100th percentile (the maximum) is left out, as 1/(1−p) is infinite there.",
			w.Name, w.Top),
		Panels: []Panel{p}, Cols: 1,
	}
}

// spectrumX maps a percentile (0–100) to 1/(1−p); ok is false for the
// maximum, where it is infinite.
func spectrumX(percentile float64) (float64, bool) {
	q := percentile / 100
	if q < 0 || q >= 1 {
		return 0, false
	}
	return 1 / (1 - q), true
}

func lockWaitFigure(w *Workload) Figure {
	var panels []Panel
	var idle []string
	for _, lock := range w.Locks {
		// Each panel in its own unit: one lock's waits may be a
		// thousand times another's.
		var all []float64
		for _, c := range w.Cells {
			all = append(all, c.LockWait[lock])
		}
		scale, unit := timeUnitFor(positiveMax(all))
		p := Panel{
			Title: lock, XLabel: concurrencyLabel, YLabel: "wait per op (" + unit + ", log)",
			XLog: true, YLog: true, XTicks: concurrencyTicks(w.Concurrencies),
		}
		for _, s := range w.Strategies {
			ser := Series{Strategy: s, Markers: true}
			for _, c := range w.cellsOf(s) {
				if v := c.LockWait[lock]; v > 0 {
					ser.Line = append(ser.Line, Point{float64(c.Concurrency), v / scale})
				}
			}
			p.Series = append(p.Series, ser)
		}
		if p.hasData() {
			panels = append(panels, p)
		} else {
			idle = append(idle, lock)
		}
	}
	caption := fmt.Sprintf("Time spent waiting for each lock of %s, per operation (wait_total_ns / ops, median over the repetitions), one panel per lock; a strategy without a point never waited for that lock there (zero has no place on a log axis).", w.Name)
	if len(idle) > 0 {
		caption += " Never waited for: " + strings.Join(idle, ", ") + "."
	}
	if len(panels) == 0 {
		panels = []Panel{{XLabel: concurrencyLabel, YLabel: "wait per op", Empty: "no lock was ever waited for"}}
	}
	cols := 1
	if len(panels) > 1 {
		cols = 2
	}
	return Figure{Title: w.Name + ": lock wait per operation", Caption: caption, Panels: panels, Cols: cols}
}

// barsPerPanel is the number of bars a panel of the default height holds
// with legible labels.
const barsPerPanel = 15

func heldIOFigure(w *Workload) Figure {
	var values []float64
	for _, h := range w.HeldIO {
		if h.HoldNs > 0 {
			values = append(values, heldIOPerOp(h))
		}
	}
	scale, unit := timeUnitFor(positiveMax(values))
	p := Panel{
		XLabel: "held across store I/O per operation (" + unit + ")",
		Empty:  "no lock was held",
	}
	for _, lock := range w.Locks {
		for _, s := range w.Strategies {
			for _, h := range w.HeldIO {
				if h.Strategy == s && h.Lock == lock && h.HoldNs > 0 {
					v := heldIOPerOp(h)
					p.Bars = append(p.Bars, Bar{Group: lock + " (" + scopeText(h.Scope) + ")", Strategy: s, Value: v / scale, Label: formatSeconds(v)})
				}
			}
		}
	}
	return Figure{
		Grow:  float64(len(p.Bars)) / barsPerPanel,
		Title: fmt.Sprintf("%s: lock time inside store I/O per operation at N=%d", w.Name, w.Top),
		Caption: fmt.Sprintf("Time each lock was held while its holder was inside store I/O, per completed operation (held_io_ns summed over the repetitions of %s at concurrency %d, divided by their operations), each lock labelled map-wide or per-key (a striped family, which blocks only the writers of one key); a missing bar means the strategy does not have or never held that lock.",
			w.Name, w.Top),
		Panels: []Panel{p}, Cols: 1,
	}
}

func resourcesFigure(m *Model, w *Workload) Figure {
	var cpu []float64
	for _, c := range w.Cells {
		cpu = append(cpu, c.CPUPerOp.Median)
	}
	cpuScale, cpuUnit := timeUnitFor(positiveMax(cpu))
	cpuPanel := Panel{
		Title: "CPU per operation", XLabel: concurrencyLabel, YLabel: "CPU time per op (" + cpuUnit + ", log)",
		XLog: true, YLog: true, XTicks: concurrencyTicks(w.Concurrencies), Empty: "no CPU time recorded",
	}
	memName := "peak Go heap"
	if m.MemorySource == MemoryRSS {
		memName = "peak RSS"
	}
	memPanel := Panel{
		Title: memName, XLabel: concurrencyLabel, YLabel: memName + " (MiB)",
		XLog: true, XTicks: concurrencyTicks(w.Concurrencies), Empty: "no memory figure recorded",
	}
	var mem []float64
	for _, s := range w.Strategies {
		cs, ms := Series{Strategy: s, Markers: true}, Series{Strategy: s, Markers: true}
		for _, c := range w.cellsOf(s) {
			if v := c.CPUPerOp.Median; v > 0 {
				cs.Line = append(cs.Line, Point{float64(c.Concurrency), v / cpuScale})
			}
			if v := c.PeakMemory.Median; v > 0 {
				ms.Line = append(ms.Line, Point{float64(c.Concurrency), v / (1 << 20)})
				mem = append(mem, v/(1<<20))
			}
		}
		cpuPanel.Series = append(cpuPanel.Series, cs)
		memPanel.Series = append(memPanel.Series, ms)
	}
	if len(mem) > 0 {
		memPanel.YMin, memPanel.YMax = 0, positiveMax(mem)*1.1
	}
	return Figure{
		Title: w.Name + ": CPU and memory",
		Caption: fmt.Sprintf("User plus system CPU time per operation and %s (%s) of %s against concurrency, median over the repetitions. CPU time is the whole process's, harness included.",
			memName, m.MemorySource, w.Name),
		Panels: []Panel{cpuPanel, memPanel}, Cols: 2,
	}
}

// uslCurvePoints is the number of points of a drawn USL curve.
const uslCurvePoints = 60

func uslFigure(w *Workload) Figure {
	p := Panel{
		XLabel: concurrencyLabel, YLabel: "throughput (ops/s)", XLog: true,
		XTicks: concurrencyTicks(w.Concurrencies), Empty: "no successful runs",
	}
	var all []float64
	var unfitted []string
	lo, hi := 0.0, 0.0
	if len(w.Concurrencies) > 0 {
		lo, hi = float64(w.Concurrencies[0]), float64(w.Concurrencies[len(w.Concurrencies)-1])
	}
	for _, s := range w.Strategies {
		ser := Series{Strategy: s}
		for _, c := range w.cellsOf(s) {
			for _, v := range c.Samples {
				ser.Scatter = append(ser.Scatter, Point{float64(c.Concurrency), v})
				all = append(all, v)
			}
		}
		fitted := false
		for _, u := range w.Fits {
			if u.Strategy != s || !(u.Lambda > 0) || hi <= lo {
				continue
			}
			fitted = true
			for i := range uslCurvePoints {
				n := lo * math.Pow(hi/lo, float64(i)/float64(uslCurvePoints-1))
				ser.Line = append(ser.Line, Point{n, u.Predict(n)})
			}
		}
		if !fitted {
			unfitted = append(unfitted, s)
			ser.Label = s + " (no fit)"
		}
		p.Series = append(p.Series, ser)
	}
	p.YLog = preferLog(all, throughputSpanForLog)
	caption := fmt.Sprintf("Universal Scalability Law fits for %s: markers are the measured repetitions, lines the fitted X(N) = λN / (1 + σ(N−1) + κN(N−1)) over the measured range.", w.Name)
	if len(unfitted) > 0 {
		caption += " No fit for " + strings.Join(unfitted, ", ") + " (too few concurrency levels or unusable points)."
	}
	return Figure{Title: w.Name + ": scalability (USL fit)", Caption: caption, Panels: []Panel{p}, Cols: 1}
}

// timelineMarkersBelow: a timeline with at most this many intervals gets
// a marker per interval.
const timelineMarkersBelow = 12

func timelineFigure(w *Workload) Figure {
	var p99s []float64
	for _, r := range w.Representative {
		for _, t := range r.Timeline {
			p99s = append(p99s, float64(t.P99Ns)/1e9)
		}
	}
	scale, unit := timeUnitFor(positiveMax(p99s))
	tput := Panel{Title: "throughput per interval", XLabel: "time since measuring began (s)", YLabel: "throughput (ops/s)", Empty: "no timeline recorded"}
	lat := Panel{Title: "p99 latency per interval", XLabel: "time since measuring began (s)", YLabel: "p99 latency (" + unit + ", log)", YLog: true, Empty: "no timeline recorded"}
	var rates []float64
	for _, r := range w.Representative {
		label := r.Strategy
		if r.Concurrency != w.Top {
			label = fmt.Sprintf("%s (N=%d)", r.Strategy, r.Concurrency)
		}
		ts, ls := Series{Strategy: r.Strategy, Label: label}, Series{Strategy: r.Strategy, Label: label}
		prev := 0.0
		for _, t := range r.Timeline {
			if dt := t.TS - prev; dt > 0 {
				rate := float64(t.Ops) / dt
				ts.Line = append(ts.Line, Point{t.TS, rate})
				rates = append(rates, rate)
			}
			if t.P99Ns > 0 {
				ls.Line = append(ls.Line, Point{t.TS, float64(t.P99Ns) / 1e9 / scale})
			}
			prev = t.TS
		}
		// A short run has few intervals: mark them, or two points make
		// a line that looks measured all along.
		ts.Markers, ls.Markers = len(ts.Line) <= timelineMarkersBelow, len(ls.Line) <= timelineMarkersBelow
		tput.Series = append(tput.Series, ts)
		lat.Series = append(lat.Series, ls)
	}
	tput.YLog = preferLog(rates, throughputSpanForLog)
	return Figure{
		Title: fmt.Sprintf("%s: one run over time at N=%d", w.Name, w.Top),
		Caption: fmt.Sprintf("Timeline of one run per strategy of %s at concurrency %d (the repetition with the median throughput): operations completed per interval divided by its length, and the interval's p99 latency.",
			w.Name, w.Top),
		Panels: []Panel{tput, lat}, Cols: 1,
	}
}

func positiveMax(vs []float64) float64 {
	m := 0.0
	for _, v := range vs {
		if v > m && !math.IsInf(v, 0) {
			m = v
		}
	}
	return m
}

// positiveRange is the range of the positive finite values (0, 0 when
// there are none).
func positiveRange(vs []float64) (lo, hi float64) {
	pos := slices.DeleteFunc(slices.Clone(vs), func(v float64) bool { return !(v > 0) || math.IsInf(v, 0) })
	if len(pos) == 0 {
		return 0, 0
	}
	return slices.Min(pos), slices.Max(pos)
}
