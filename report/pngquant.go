package report

import (
	"bytes"
	"cmp"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"slices"
)

// encodePNG writes img as a paletted PNG. A plot has a few flat colours —
// background, text, grid, one per strategy — and anti-aliased edges that
// blend them; the 256 most frequent colours keep every flat colour exact
// and map each edge pixel to its nearest, which the eye does not notice and
// which makes the file about 2.5 times smaller than full RGBA.
func encodePNG(img image.Image) ([]byte, error) {
	rgba, ok := img.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	}
	b := rgba.Bounds()
	// Pixels are counted by their packed RGBA value: a plot has a thousand
	// or so distinct colours among its hundreds of thousands of pixels.
	pixel := func(x, y int) uint32 {
		i := rgba.PixOffset(x, y)
		p := rgba.Pix[i : i+4 : i+4]
		return uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
	}
	counts := map[uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[pixel(x, y)]++
		}
	}
	colors := make([]uint32, 0, len(counts))
	for c := range counts {
		colors = append(colors, c)
	}
	// Ties are broken by the colour itself, so equal images give equal
	// files.
	slices.SortFunc(colors, func(a, b uint32) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
	unpack := func(c uint32) color.RGBA {
		return color.RGBA{R: uint8(c >> 24), G: uint8(c >> 16), B: uint8(c >> 8), A: uint8(c)}
	}
	// The style colours come first, whatever their pixel count: a
	// strategy drawn with a few markers only must keep its exact colour.
	palette := make(color.Palette, 0, 256)
	reserved := map[uint32]bool{}
	for _, c := range reservedColors() {
		packed := uint32(c.R)<<24 | uint32(c.G)<<16 | uint32(c.B)<<8 | uint32(c.A)
		if !reserved[packed] {
			reserved[packed] = true
			palette = append(palette, c)
		}
	}
	for _, c := range colors {
		if len(palette) == cap(palette) {
			break
		}
		if !reserved[c] {
			palette = append(palette, unpack(c))
		}
	}
	// Each distinct colour is matched to the palette once.
	index := make(map[uint32]uint8, len(colors))
	for _, c := range colors {
		index[c] = uint8(palette.Index(unpack(c)))
	}
	paletted := image.NewPaletted(b, palette)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			paletted.Pix[paletted.PixOffset(x, y)] = index[pixel(x, y)]
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, paletted); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reservedColors are the flat colours of every plot: background, text,
// grid, messages and every strategy colour.
func reservedColors() []color.RGBA {
	out := []color.RGBA{
		{0xFF, 0xFF, 0xFF, 0xFF}, {0x00, 0x00, 0x00, 0xFF},
		{gridGray, gridGray, gridGray, 0xFF}, {messageGray, messageGray, messageGray, 0xFF},
	}
	for _, s := range knownStrategies {
		out = append(out, fixedStyles[s].Color)
	}
	return append(out, extraColors...)
}
