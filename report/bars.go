package report

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// hbars draws horizontal bars grouped by Bar.Group: one row per group (the
// first at the top), one bar per strategy within it, each labelled with its
// value at its end.
type hbars struct {
	bars       []Bar
	groups     []string
	strategies []string
	st         map[string]seriesStyle
	xmax       float64 // the value axis runs from 0 to xmax
}

var _ plot.Plotter = hbars{}
var _ plot.DataRanger = hbars{}

// barGroupWidth is the part of a group's row the bars fill; the rest
// separates the groups.
const barGroupWidth = 0.8

// barAxisMax leaves room right of 100% for the bar labels (of a share; a
// quantity's axis gets the same room in proportion).
const barAxisMax = 118

func barPlot(pl *plot.Plot, p Panel, st map[string]seriesStyle) {
	h := hbars{bars: p.Bars, st: st, xmax: barAxisMax}
	share := p.XMax > p.XMin // 0–100%; otherwise a quantity from 0 to the longest bar
	if !share {
		longest := 0.0
		for _, b := range p.Bars {
			longest = math.Max(longest, b.Value)
		}
		if longest > 0 {
			h.xmax = longest * barAxisMax / 100 // the same room right of it for the labels
		}
	}
	for _, b := range p.Bars {
		if !slices.Contains(h.groups, b.Group) {
			h.groups = append(h.groups, b.Group)
		}
		if !slices.Contains(h.strategies, b.Strategy) {
			h.strategies = append(h.strategies, b.Strategy)
		}
	}
	g := plotter.NewGrid()
	g.Horizontal.Color = nil
	g.Vertical.Color = color.Gray{gridGray}
	g.Vertical.Width = vg.Points(0.5)
	pl.Add(g, h)
	pl.X.Min, pl.X.Max = 0, h.xmax
	if share {
		pl.X.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0%"}, {Value: 25, Label: "25%"}, {Value: 50, Label: "50%"}, {Value: 75, Label: "75%"}, {Value: 100, Label: "100%"}}
	}
	pl.Y.Min, pl.Y.Max = -0.5, float64(len(h.groups))-0.5
	var ticks plot.ConstantTicks
	for i, grp := range h.groups {
		ticks = append(ticks, plot.Tick{Value: h.groupY(i), Label: grp})
	}
	pl.Y.Tick.Marker = ticks
	pl.Y.Label.Text = ""
	pl.X.Padding, pl.Y.Padding = 0, 0
}

// groupY is the centre of group i's row; the first group is at the top.
func (h hbars) groupY(i int) float64 { return float64(len(h.groups) - 1 - i) }

func (h hbars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, h.xmax, -0.5, float64(len(h.groups)) - 0.5
}

func (h hbars) Plot(c draw.Canvas, pl *plot.Plot) {
	tx, ty := pl.Transforms(&c)
	// Every bar has the same thickness; a group's bars are centred on
	// its row, so a lock only one strategy has is not drawn off-centre.
	slot := barGroupWidth / float64(max(1, len(h.strategies)))
	label := textStyle(barLabelSize)
	label.YAlign = draw.YCenter
	for _, b := range h.bars {
		g := slices.Index(h.groups, b.Group)
		var inGroup []string
		for _, o := range h.bars {
			if o.Group == b.Group {
				inGroup = append(inGroup, o.Strategy)
			}
		}
		s := slices.Index(inGroup, b.Strategy)
		top := h.groupY(g) + slot*float64(len(inGroup))/2 - float64(s)*slot
		bottom := top - slot*0.9
		rect := vg.Rectangle{
			Min: vg.Point{X: tx(0), Y: ty(bottom)},
			Max: vg.Point{X: tx(b.Value), Y: ty(top)},
		}
		if rect.Max.X-rect.Min.X < vg.Points(1) {
			// A zero share still shows which strategies hold the lock.
			rect.Max.X = rect.Min.X + vg.Points(1)
		}
		c.SetColor(styleOf(h.st, b.Strategy).Color)
		c.Fill(rect.Path())
		if b.Label != "" {
			c.FillText(label, vg.Point{X: rect.Max.X + vg.Points(3), Y: (rect.Min.Y + rect.Max.Y) / 2}, b.Label)
		}
	}
}
