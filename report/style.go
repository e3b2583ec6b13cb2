package report

import (
	"image/color"

	"gonum.org/v1/plot/vg/draw"
)

// seriesStyle is how one strategy looks in every plot.
type seriesStyle struct {
	Color color.RGBA
	Shape draw.GlyphDrawer
}

// Colours from the Okabe–Ito palette, which stays distinguishable under the
// common forms of colour blindness.
var (
	vermillion    = color.RGBA{0xD5, 0x5E, 0x00, 0xFF}
	blue          = color.RGBA{0x00, 0x72, 0xB2, 0xFF}
	bluishGreen   = color.RGBA{0x00, 0x9E, 0x73, 0xFF}
	reddishPurple = color.RGBA{0xCC, 0x79, 0xA7, 0xFF}
	orange        = color.RGBA{0xE6, 0x9F, 0x00, 0xFF}
	skyBlue       = color.RGBA{0x56, 0xB4, 0xE9, 0xFF}
	black         = color.RGBA{0x00, 0x00, 0x00, 0xFF}
	darkYellow    = color.RGBA{0x9A, 0x86, 0x00, 0xFF}
)

// fixedStyles are the built-in strategies' styles, the same in every report.
var fixedStyles = map[string]seriesStyle{
	"naive":      {vermillion, draw.CircleGlyph{}},
	"refactored": {blue, draw.PyramidGlyph{}},
	"sharded":    {bluishGreen, draw.BoxGlyph{}},
}

// extraColors and extraShapes style other strategies, in the order they
// are listed (alphabetical): the same set of names always gets the same
// styles. Past len(extraColors) the colours repeat with other markers.
var (
	extraColors = []color.RGBA{reddishPurple, orange, skyBlue, black, darkYellow}
	extraShapes = []draw.GlyphDrawer{draw.RingGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.CircleGlyph{}}
)

// styles assigns every strategy its style.
func styles(strategies []string) map[string]seriesStyle {
	out := make(map[string]seriesStyle, len(strategies))
	extra := 0
	for _, s := range strategies {
		if st, ok := fixedStyles[s]; ok {
			out[s] = st
			continue
		}
		out[s] = seriesStyle{
			Color: extraColors[extra%len(extraColors)],
			Shape: extraShapes[(extra+extra/len(extraColors))%len(extraShapes)],
		}
		extra++
	}
	return out
}

// styleOf returns s's style, or a grey one for a name not in the map.
func styleOf(m map[string]seriesStyle, s string) seriesStyle {
	if st, ok := m[s]; ok {
		return st
	}
	return seriesStyle{Color: color.RGBA{0x80, 0x80, 0x80, 0xFF}, Shape: draw.CircleGlyph{}}
}
