package report

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ErrFormat: a plot format other than FormatPNG or FormatSVG.
var ErrFormat = errors.New("report: unknown plot format")

// Text sizes, in points. Sans-serif reads better than the default serif at
// these sizes.
const (
	titleSize     = 12
	panelSize     = 10
	axisLabelSize = 9
	tickSize      = 8
	legendSize    = 9
	barLabelSize  = 7
)

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Greys of the grid lines and of the "no data" messages.
const (
	gridGray    = 0xE4
	messageGray = 0x60
)

func textStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(sansFont, size),
		Handler: plot.DefaultTextHandler,
	}
}

// RenderFigure draws f in format (FormatPNG or FormatSVG), each strategy in
// its style among strategies (normally Model.Strategies). Zero fields of opt
// take their defaults.
func RenderFigure(f Figure, strategies []string, opt Options, format string) ([]byte, error) {
	opt = opt.withDefaults()
	w, h := figureSize(f, opt)
	switch format {
	case FormatPNG:
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI(w, h, opt.DPI)))
		if err := drawFigure(draw.New(c), f, strategies); err != nil {
			return nil, fmt.Errorf("report: plot %s: %w", f.Name, err)
		}
		b, err := encodePNG(c.Image())
		if err != nil {
			return nil, fmt.Errorf("report: plot %s: %w", f.Name, err)
		}
		return b, nil
	case FormatSVG:
		c := vgsvg.New(w, h)
		if err := drawFigure(draw.New(c), f, strategies); err != nil {
			return nil, fmt.Errorf("report: plot %s: %w", f.Name, err)
		}
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("report: plot %s: %w", f.Name, err)
		}
		return buf.Bytes(), nil
	default:
		return nil, fmt.Errorf("%w: %q", ErrFormat, format)
	}
}

// pngDPI is dpi, lowered when needed so that a w × h figure stays within
// MaxPlotPixels.
func pngDPI(w, h vg.Length, dpi int) int {
	px := float64(w/vg.Inch) * float64(h/vg.Inch) * float64(dpi) * float64(dpi)
	if px <= MaxPlotPixels {
		return dpi
	}
	return max(1, int(float64(dpi)*math.Sqrt(MaxPlotPixels/px)))
}

// Heights of the parts of a figure around its panels.
const (
	titleHeight  = 0.35 * vg.Inch
	legendHeight = 0.3 * vg.Inch
)

func figureGrid(f Figure) (cols, rows int) {
	cols = max(1, min(f.Cols, len(f.Panels)))
	rows = max(1, (len(f.Panels)+cols-1)/cols)
	return cols, rows
}

// figureSize grows the single-panel size with the panels: two columns are
// 1.5 times as wide, and each extra row of panels adds 0.7 of a panel.
func figureSize(f Figure, opt Options) (w, h vg.Length) {
	cols, rows := figureGrid(f)
	w = vg.Length(opt.Width) * vg.Inch
	if cols > 1 {
		w = w * 3 / 2
	}
	panel := vg.Length(opt.Height)*vg.Inch - titleHeight - legendHeight
	if rows > 1 {
		panel = panel * 7 / 10
	}
	if f.Grow > 1 {
		panel = vg.Length(float64(panel) * f.Grow)
	}
	return w, titleHeight + legendHeight*vg.Length(legendRows(f, w)) + panel*vg.Length(rows)
}

// tileFits reports whether a panel's tile is a real rectangle inside area.
func tileFits(tile, area draw.Canvas) bool {
	in := func(v, lo, hi vg.Length) bool { return v >= lo-1 && v <= hi+1 }
	return tile.Max.X > tile.Min.X && tile.Max.Y > tile.Min.Y &&
		in(tile.Min.X, area.Min.X, area.Max.X) && in(tile.Max.X, area.Min.X, area.Max.X) &&
		in(tile.Min.Y, area.Min.Y, area.Max.Y) && in(tile.Max.Y, area.Min.Y, area.Max.Y)
}

func drawFigure(dc draw.Canvas, f Figure, strategies []string) (err error) {
	// gonum/plot panics on impossible axes (a log axis with a value ≤ 0);
	// a bug of ours must not take the whole report down with it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing failed: %v", r)
		}
	}()
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())

	title := textStyle(titleSize)
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	dc.FillText(title, vg.Point{X: dc.Center().X, Y: dc.Max.Y - 4}, f.Title)

	st := styles(strategies)
	entries := legendEntries(f, st, strategies)
	lrows := legendRows(f, dc.Max.X-dc.Min.X)
	drawLegend(draw.Crop(dc, 0, 0, 0, -(dc.Max.Y-dc.Min.Y-legendHeight*vg.Length(lrows))), entries)

	area := draw.Crop(dc, 0, 0, legendHeight*vg.Length(lrows), -titleHeight)
	cols, rows := figureGrid(f)
	plots := make([][]*plot.Plot, rows)
	yLabels := make([][]string, rows)
	for r := range rows {
		plots[r], yLabels[r] = make([]*plot.Plot, cols), make([]string, cols)
		for c := range cols {
			if i := r*cols + c; i < len(f.Panels) {
				if plots[r][c], yLabels[r][c], err = buildPlot(f.Panels[i], st); err != nil {
					return err
				}
			}
		}
	}
	// The y-axis labels are drawn here, in the tiles' left padding, not
	// by gonum: on a log axis gonum reserves room for the label as if it
	// sat at the arithmetic middle of the range, which opens a wide gap
	// above the data.
	yLabelRoom := vg.Points(yLabelWidth)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14) + yLabelRoom, PadY: vg.Points(10), PadLeft: vg.Points(4) + yLabelRoom, PadRight: vg.Points(10), PadTop: vg.Points(4), PadBottom: vg.Points(2)}
	canvases := plot.Align(plots, tiles, area)
	for r := range rows {
		for c := range cols {
			pl, cv := plots[r][c], canvases[r][c]
			if pl == nil {
				continue
			}
			if !tileFits(cv, area) {
				// A figure too small for its panels (tiny --width or
				// --height, two rows) gets tiles of negative or absurd
				// size from plot.Align, which the rasteriser would
				// spend minutes filling; there is nothing to see in
				// them anyway.
				continue
			}
			pl.Draw(cv)
			if yLabels[r][c] != "" {
				drawYLabel(dc, pl, canvases[r][c], yLabels[r][c])
			}
		}
	}
	return nil
}

// drawYLabel writes a panel's y-axis label, rotated, centred on its data
// area and just left of c, where gonum starts the tick labels.
func drawYLabel(dc draw.Canvas, pl *plot.Plot, c draw.Canvas, label string) {
	data := pl.DataCanvas(c)
	sty := textStyle(axisLabelSize)
	sty.Rotation = math.Pi / 2
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	x := c.Min.X - vg.Points(3) - sty.Height(label)/2
	dc.FillText(sty, vg.Point{X: x, Y: (data.Min.Y + data.Max.Y) / 2}, label)
}

// yLabelWidth is the room left of each panel for its y-axis label, in
// points.
const yLabelWidth = 18

// buildPlot turns a panel into a gonum plot, and returns the y-axis label
// drawFigure must draw beside it ("" when there is no axis to label).
func buildPlot(p Panel, st map[string]seriesStyle) (*plot.Plot, string, error) {
	pl := plot.New()
	pl.Title.Text = p.Title
	pl.Title.TextStyle = textStyle(panelSize)
	pl.Title.TextStyle.XAlign, pl.Title.TextStyle.YAlign = draw.XCenter, draw.YTop
	pl.Title.Padding = vg.Points(4)
	for _, ax := range []*plot.Axis{&pl.X, &pl.Y} {
		// Only the font changes: the axes' own alignments keep tick
		// labels clear of the tick marks.
		ax.Label.TextStyle.Font = font.From(sansFont, axisLabelSize)
		ax.Tick.Label.Font = font.From(sansFont, tickSize)
		ax.Label.Padding = vg.Points(3)
	}
	pl.X.Label.Text = p.XLabel

	if len(p.Bars) > 0 {
		barPlot(pl, p, st)
		return pl, "", nil
	}
	drawable := p
	drawable.Series = nil
	for _, s := range p.Series {
		drawable.Series = append(drawable.Series, s.drawable(p.XLog, p.YLog))
	}
	if !drawable.hasData() {
		return emptyPlot(pl, p.Empty), "", nil
	}
	addGrid(pl)
	for _, s := range drawable.Series {
		if err := addSeries(pl, s, styleOf(st, s.Strategy), p.YLog); err != nil {
			return nil, "", err
		}
	}
	configureAxis(&pl.X, p.XLog, p.XTicks, p.XMin, p.XMax)
	configureAxis(&pl.Y, p.YLog, p.YTicks, p.YMin, p.YMax)
	return pl, p.YLabel, nil
}

func emptyPlot(pl *plot.Plot, msg string) *plot.Plot {
	if msg == "" {
		msg = "no data"
	}
	sty := textStyle(axisLabelSize)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	sty.Color = color.Gray{messageGray}
	pl.Add(message{text: msg, style: sty})
	pl.X.Min, pl.X.Max, pl.Y.Min, pl.Y.Max = 0, 1, 0, 1
	pl.X.Label.Text = ""
	pl.HideAxes()
	return pl
}

// message draws a line of text in the middle of a panel.
type message struct {
	text  string
	style text.Style
}

func (m message) Plot(c draw.Canvas, _ *plot.Plot) { c.FillText(m.style, c.Center(), m.text) }

func addSeries(pl *plot.Plot, s Series, sty seriesStyle, yLog bool) error {
	line := lineStyle(sty, s.Dashed)
	glyph := glyphStyle(sty, s.Dashed)
	if len(s.Scatter) > 0 {
		sc, err := plotter.NewScatter(xys(s.Scatter))
		if err != nil {
			return err
		}
		sc.GlyphStyle = glyph
		sc.GlyphStyle.Radius = vg.Points(2.4)
		pl.Add(sc)
	}
	if len(s.Line) == 0 {
		return nil
	}
	if len(s.Low) == len(s.Line) && len(s.High) == len(s.Line) {
		bars := errorBars{pts: s.Line, low: s.Low, high: s.High, log: yLog}
		eb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return err
		}
		eb.LineStyle = draw.LineStyle{Color: sty.Color, Width: vg.Points(1)}
		eb.CapWidth = vg.Points(5)
		pl.Add(eb)
	}
	l, err := plotter.NewLine(xys(s.Line))
	if err != nil {
		return err
	}
	l.LineStyle = line
	pl.Add(l)
	// A line of one point draws nothing: mark it.
	if s.Markers || len(s.Line) == 1 {
		sc, err := plotter.NewScatter(xys(s.Line))
		if err != nil {
			return err
		}
		sc.GlyphStyle = glyph
		pl.Add(sc)
	}
	return nil
}

// dashes is the dash pattern of a dashed series.
var dashes = []vg.Length{vg.Points(5), vg.Points(3)}

func lineStyle(sty seriesStyle, dashed bool) draw.LineStyle {
	l := draw.LineStyle{Color: sty.Color, Width: vg.Points(1.6)}
	if dashed {
		l.Dashes = dashes
	}
	return l
}

// glyphStyle marks a dashed series with a hollow marker, so that its
// points differ from the solid series of the same strategy even where a
// single point draws no line.
func glyphStyle(sty seriesStyle, dashed bool) draw.GlyphStyle {
	g := draw.GlyphStyle{Color: sty.Color, Radius: vg.Points(3.2), Shape: sty.Shape}
	if dashed {
		g.Shape = draw.RingGlyph{}
		if _, ring := sty.Shape.(draw.RingGlyph); ring {
			g.Shape = draw.CrossGlyph{}
		}
	}
	return g
}

// drawable drops the points gonum cannot draw: NaN or infinite values, and
// values ≤ 0 on a log axis (a zero throughput, an interval with no
// operations).
func (s Series) drawable(xLog, yLog bool) Series {
	ok := func(p Point) bool {
		finite := !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0)
		return finite && (!xLog || p.X > 0) && (!yLog || p.Y > 0)
	}
	out := s
	out.Line, out.Low, out.High, out.Scatter = nil, nil, nil, nil
	bars := len(s.Low) == len(s.Line) && len(s.High) == len(s.Line)
	for i, p := range s.Line {
		if !ok(p) {
			continue
		}
		out.Line = append(out.Line, p)
		if bars {
			low, high := s.Low[i], s.High[i]
			if math.IsNaN(low) || math.IsInf(low, 0) {
				low = p.Y
			}
			if math.IsNaN(high) || math.IsInf(high, 0) {
				high = p.Y
			}
			out.Low, out.High = append(out.Low, low), append(out.High, high)
		}
	}
	for _, p := range s.Scatter {
		if ok(p) {
			out.Scatter = append(out.Scatter, p)
		}
	}
	return out
}

func xys(pts []Point) plotter.XYs {
	out := make(plotter.XYs, len(pts))
	for i, p := range pts {
		out[i] = plotter.XY{X: p.X, Y: p.Y}
	}
	return out
}

// errorBars adapts a series' Low/High (absolute bounds) to plotter's
// YErrorer (distances below and above the point). On a log axis a lower
// bound ≤ 0 cannot be drawn and is clipped to the point itself.
type errorBars struct {
	pts       []Point
	low, high []float64
	log       bool
}

func (e errorBars) Len() int                { return len(e.pts) }
func (e errorBars) XY(i int) (x, y float64) { return e.pts[i].X, e.pts[i].Y }
func (e errorBars) YError(i int) (low, high float64) {
	y := e.pts[i].Y
	low, high = math.Max(0, y-e.low[i]), math.Max(0, e.high[i]-y)
	if e.log && y-low <= 0 {
		low = 0
	}
	return low, high
}

// logPad widens a log axis by this factor at each end, so markers at the
// extremes are not cut in half; minLogSpan is the narrowest log axis, as a
// ratio of its ends.
const (
	logPad     = 1.25
	minLogSpan = 10
)

func configureAxis(ax *plot.Axis, logScale bool, ticks []Tick, lo, hi float64) {
	if hi > lo {
		ax.Min, ax.Max = lo, hi
	}
	if logScale {
		ax.Scale = plot.LogScale{}
		if ax.Min <= 0 || math.IsInf(ax.Min, 0) {
			ax.Min = math.Max(ax.Max/10, math.SmallestNonzeroFloat64)
		}
		if len(ticks) > 0 {
			ax.Min = math.Min(ax.Min, ticks[0].Value)
			ax.Max = math.Max(ax.Max, ticks[len(ticks)-1].Value)
		}
		// At least a decade, centred on the data, so that the axis has
		// labelled ticks however close together the values are.
		if span := ax.Max / ax.Min; span < minLogSpan {
			widen := math.Sqrt(minLogSpan / span)
			ax.Min, ax.Max = ax.Min/widen, ax.Max*widen
		} else {
			ax.Min /= logPad
			ax.Max *= logPad
		}
	} else if len(ticks) == 0 && !(hi > lo) {
		// Linear value axes start at zero: a bar or line that starts
		// elsewhere exaggerates differences.
		if ax.Min > 0 {
			ax.Min = 0
		}
		ax.Max *= 1.05
	}
	switch {
	case len(ticks) > 0:
		ax.Tick.Marker = constantTicks(ticks)
	case logScale:
		ax.Tick.Marker = logTicker{}
	default:
		ax.Tick.Marker = linearTicker{}
	}
}

func constantTicks(ts []Tick) plot.ConstantTicks {
	out := make(plot.ConstantTicks, len(ts))
	for i, t := range ts {
		out[i] = plot.Tick{Value: t.Value, Label: t.Label}
	}
	return out
}

// linearTicker is gonum's default ticks with compact SI labels
// ("120k" rather than "120000").
type linearTicker struct{}

func (linearTicker) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = tickLabel(ts[i].Value)
		}
	}
	return ts
}

// logTicker labels a log axis: powers of ten over a wide range, 1-2-5
// steps over a few decades, plain linear ticks within one decade.
type logTicker struct{}

func (logTicker) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	decades := math.Log10(hi / lo)
	if decades < 1 {
		return linearTicker{}.Ticks(lo, hi)
	}
	steps := []float64{1, 2, 5}
	if decades > 3 {
		steps = []float64{1}
	}
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			for _, s := range steps {
				if float64(m) == s {
					t.Label = tickLabel(v)
				}
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// tickLabel is a short label for a tick value: "0.5", "20", "1.5k", "2M".
func tickLabel(v float64) string {
	if v == 0 {
		return "0"
	}
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	for _, p := range []struct {
		scale float64
		name  string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(rounded) >= p.scale {
			return strconv.FormatFloat(rounded/p.scale, 'f', -1, 64) + p.name
		}
	}
	return strconv.FormatFloat(rounded, 'f', -1, 64)
}

// addGrid draws light grid lines at the major ticks; added before the data,
// so drawn under it.
func addGrid(pl *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{gridGray}
	g.Horizontal.Color = color.Gray{gridGray}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	pl.Add(g)
}
