package report

import (
	"errors"
	"fmt"
	"slices"

	"lockbench/results"
)

// Plot formats Render can write.
const (
	FormatPNG = "png"
	FormatSVG = "svg"
)

// Options control Render. The zero value is usable: every zero field takes
// the default documented beside it (DefaultOptions spells them out).
type Options struct {
	// Formats lists the plot formats to write as files: FormatPNG,
	// FormatSVG. Empty means both. report.html always inlines PNG, whatever
	// is written as files.
	Formats []string
	// Width and Height are the size of a single-panel plot in inches.
	// Figures with several panels grow from it. Zero means 6 × 4.
	Width, Height float64
	// DPI is the PNG resolution. Zero means 96: small files that still read
	// well on a screen.
	DPI int
	// Baseline is the strategy every other one is compared with. Empty
	// means "naive", or, for results without naive runs (another target),
	// the strategy of the first run: the target's first strategy, its
	// simplest by convention (mutex for kv).
	Baseline string
	// SkipResults leaves results.json alone: the caller renders the file
	// in place and re-encoding it would gain nothing.
	SkipResults bool
}

// MaxPlotPixels bounds the pixels of one PNG plot (about 64 MB of memory
// while it is drawn). A single-panel plot larger than that is refused by
// Options.Check; a figure that grows beyond it with its panels (a lock-wait
// figure of many locks) is drawn at a lower resolution instead, so memory
// stays bounded whatever a results file holds.
const MaxPlotPixels = 16 << 20

// ErrTooLarge: plot size options that would exceed MaxPlotPixels.
var ErrTooLarge = errors.New("report: plots too large")

// Check reports whether a single-panel PNG plot of o's size stays within
// MaxPlotPixels.
func (o Options) Check() error {
	o = o.withDefaults()
	px := o.Width * float64(o.DPI) * o.Height * float64(o.DPI)
	if px > MaxPlotPixels {
		return fmt.Errorf("%w: %g × %g inches at %d dpi is %.0f megapixels a plot, more than %d",
			ErrTooLarge, o.Width, o.Height, o.DPI, px/1e6, MaxPlotPixels>>20)
	}
	return nil
}

// DefaultOptions are the options the zero value stands for.
var DefaultOptions = Options{
	Formats:  []string{FormatPNG, FormatSVG},
	Width:    6,
	Height:   4,
	DPI:      96,
	Baseline: "naive",
}

// forFile picks the baseline of f when o names none: naive, or the
// strategy of f's first run when f has no naive runs.
func (o Options) forFile(f *results.File) Options {
	if o.Baseline != "" || f == nil || len(f.Runs) == 0 {
		return o
	}
	if !slices.ContainsFunc(f.Runs, func(r results.Run) bool { return r.Strategy == DefaultOptions.Baseline }) {
		o.Baseline = f.Runs[0].Strategy
	}
	return o
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	d := DefaultOptions
	if len(o.Formats) == 0 {
		o.Formats = slices.Clone(d.Formats)
	}
	if o.Width <= 0 {
		o.Width = d.Width
	}
	if o.Height <= 0 {
		o.Height = d.Height
	}
	if o.DPI <= 0 {
		o.DPI = d.DPI
	}
	if o.Baseline == "" {
		o.Baseline = d.Baseline
	}
	return o
}
