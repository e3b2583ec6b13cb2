package report

import (
	"cmp"
	"slices"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one strategy in a figure's legend. The legend sits below
// the panels, never over the data.
type legendEntry struct {
	Label, Strategy string
	Style           seriesStyle
	// Line, Dashed, Marker and Swatch say how the thumbnail is drawn.
	Line, Dashed, Marker, Swatch bool
}

// Legend geometry, in points.
const (
	legendThumb   = 22
	legendGap     = 4
	legendSpacing = 16
	legendMargin  = 10
)

// legendEntries lists each distinct label of f once, in the order of the
// strategies (then by label), whichever panel shows it first.
func legendEntries(f Figure, st map[string]seriesStyle, order []string) []legendEntry {
	var out []legendEntry
	index := map[string]int{}
	add := func(label, strategy string) *legendEntry {
		if i, ok := index[label]; ok {
			return &out[i]
		}
		index[label] = len(out)
		out = append(out, legendEntry{Label: label, Strategy: strategy, Style: styleOf(st, strategy)})
		return &out[len(out)-1]
	}
	for _, p := range f.Panels {
		if !p.hasData() {
			continue
		}
		for _, s := range p.Series {
			if len(s.Line) == 0 && len(s.Scatter) == 0 {
				continue
			}
			e := add(s.label(), s.Strategy)
			e.Line = e.Line || len(s.Line) > 0
			e.Dashed = e.Dashed || s.Dashed
			e.Marker = e.Marker || s.Markers || len(s.Scatter) > 0 || len(s.Line) == 1
		}
		for _, b := range p.Bars {
			add(b.Strategy, b.Strategy).Swatch = true
		}
	}
	slices.SortStableFunc(out, func(a, b legendEntry) int {
		return cmp.Or(cmp.Compare(strategyRank(order, a.Strategy), strategyRank(order, b.Strategy)), cmp.Compare(a.Label, b.Label))
	})
	return out
}

func legendEntryWidth(e legendEntry) vg.Length {
	return vg.Points(legendThumb+legendGap+legendSpacing) + textStyle(legendSize).Width(e.Label)
}

// packLegend splits entries into rows that fit width.
func packLegend(entries []legendEntry, width vg.Length) [][]legendEntry {
	var rows [][]legendEntry
	var row []legendEntry
	var used vg.Length
	avail := width - 2*vg.Points(legendMargin)
	for _, e := range entries {
		w := legendEntryWidth(e)
		if len(row) > 0 && used+w > avail {
			rows = append(rows, row)
			row, used = nil, 0
		}
		row = append(row, e)
		used += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// legendRows is the number of legend rows f needs at width (at least one,
// so every figure has the same layout).
func legendRows(f Figure, width vg.Length) int {
	return max(1, len(packLegend(legendEntries(f, nil, nil), width)))
}

// drawLegend draws the entries centred in rows from the top of c.
func drawLegend(c draw.Canvas, entries []legendEntry) {
	sty := textStyle(legendSize)
	sty.YAlign = draw.YCenter
	y := c.Max.Y - legendHeight/2
	for _, row := range packLegend(entries, c.Max.X-c.Min.X) {
		var total vg.Length
		for _, e := range row {
			total += legendEntryWidth(e)
		}
		x := c.Min.X + (c.Max.X-c.Min.X-total+vg.Points(legendSpacing))/2
		for _, e := range row {
			drawThumb(c, e, x, y)
			c.FillText(sty, vg.Point{X: x + vg.Points(legendThumb+legendGap), Y: y}, e.Label)
			x += legendEntryWidth(e)
		}
		y -= legendHeight
	}
}

func drawThumb(c draw.Canvas, e legendEntry, x, y vg.Length) {
	mid := x + vg.Points(legendThumb)/2
	if e.Swatch {
		h := vg.Points(5)
		c.SetColor(e.Style.Color)
		c.Fill(vg.Rectangle{Min: vg.Point{X: x + vg.Points(3), Y: y - h}, Max: vg.Point{X: x + vg.Points(legendThumb-3), Y: y + h}}.Path())
		return
	}
	if e.Line {
		c.StrokeLine2(lineStyle(e.Style, e.Dashed), x, y, x+vg.Points(legendThumb), y)
	}
	if e.Marker {
		c.DrawGlyph(glyphStyle(e.Style, e.Dashed), vg.Point{X: mid, Y: y})
	}
}
