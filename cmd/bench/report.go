package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"lockbench/report"
	"lockbench/results"
)

func init() { commands["report"] = cmdReport }

const reportUsage = `usage: bench report --in DIR/results.json [--out DIR] [--formats png,svg]
                    [--width 6] [--height 4] [--dpi 96] [--baseline naive]

Renders a results file — complete, partial or interrupted — into DIR:
results.json (a copy, unless --in already is DIR/results.json), report.md
with its plots linked as files, a self-contained report.html (plots inlined,
no external requests), every plot as PNG and SVG, and bench.txt in the Go
benchmark format (compare strategies with: benchstat -col /strategy
bench.txt). Every file is written atomically.

An input that is missing, unreadable or not a lockbench results file, or a
bad flag, exits 2 with nothing written.

flags:
`

// reportFlags are the flags of `bench report`.
type reportFlags struct {
	in, out, formats, baseline string
	width, height              float64
	dpi                        int
}

func newReportFlagSet(stderr io.Writer) (*flag.FlagSet, *reportFlags) {
	d := report.DefaultOptions
	f := &reportFlags{}
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.in, "in", "", "results file to render (`FILE`, or a directory holding results.json); required")
	fs.StringVar(&f.out, "out", "", "directory to write the report into (`DIR`, created if needed); default: the directory of --in")
	fs.StringVar(&f.formats, "formats", strings.Join(d.Formats, ","), "plot files to write: png, svg or both, comma-separated (report.html always inlines PNG)")
	fs.Float64Var(&f.width, "width", d.Width, "width of a single-panel plot in inches; figures with several panels grow from it")
	fs.Float64Var(&f.height, "height", d.Height, "height of a single-panel plot in inches")
	fs.IntVar(&f.dpi, "dpi", d.DPI, "resolution of the PNG plots in dots per inch")
	fs.StringVar(&f.baseline, "baseline", d.Baseline, "strategy every other one is compared with (default: naive, or the first run's strategy when there are no naive runs, e.g. mutex for the kv target)")
	fs.Usage = func() {
		fmt.Fprint(stderr, reportUsage)
		fs.PrintDefaults()
	}
	return fs, f
}

// Limits of the plot size flags: beyond them the files grow without the
// plots getting more legible.
const (
	maxPlotInches = 40
	maxDPI        = 600
)

func cmdReport(args []string, stdout, stderr io.Writer) error {
	// Signals are caught first, before --out is made or locked: an
	// interrupted report leaves the previous one as it was (RenderContext
	// moves files into place only once every one is complete).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	fs, f := newReportFlagSet(stderr)
	if help, err := parseFlags(fs, args, stderr); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("report: unexpected argument %s (the input goes in --in)", quoteShort(fs.Arg(0)))
	}
	opt, err := f.options(fs)
	if err != nil {
		return err
	}
	if explicit(fs, "out") && f.out == "" {
		return badInput("report: --out is empty (give a directory, or leave --out out to write beside --in)")
	}
	in, err := reportInput(f.in)
	if err != nil {
		return err
	}
	file, err := results.ReadFile(in)
	if err != nil {
		return fmt.Errorf("%w: report: --in: %w", errBadInput, err)
	}
	if explicit(fs, "baseline") && !hasStrategy(file, opt.Baseline) {
		return badInput("report: --baseline %s: %q has no runs of it (strategies: %s)", quoteShort(opt.Baseline), in, quoteList(strategiesOf(file)))
	}
	if !explicit(fs, "baseline") {
		opt.Baseline = "" // naive, or another target's first strategy (report.Options)
	}
	out, flagName := f.out, "report: --out"
	if out == "" {
		out, flagName = filepath.Dir(in), "report: the directory of --in (no --out given)"
	}
	dir, err := openOutDir(flagName, out)
	if err != nil {
		return err
	}
	defer dir.close()
	opt.SkipResults = sameFile(in, filepath.Join(out, report.ResultsFile))
	reportSignalsCaught(ctx)
	if err := report.RenderContext(ctx, file, out, opt); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: report of %q not written; %q is as it was", errInterrupted, in, out)
		}
		// The options and input were checked: what remains is the
		// destination failing (disk full, a plot name taken by a
		// directory): a bad --out, named once.
		return badInput("report: --out %q: %s", out, strings.TrimPrefix(err.Error(), "report: "))
	}
	fmt.Fprintf(stdout, "report of %d runs written to %s: %s, %s, %s and the plots\n",
		len(file.Runs), showPath(out), report.MarkdownFile, report.HTMLFile, report.BenchFile)
	return nil
}

// reportSignalsCaught is called once bench report catches its signals;
// tests interrupt it there.
var reportSignalsCaught = func(context.Context) {}

// options checks the flags that do not need the input.
func (f *reportFlags) options(fs *flag.FlagSet) (report.Options, error) {
	opt := report.Options{Width: f.width, Height: f.height, DPI: f.dpi, Baseline: f.baseline}
	for _, format := range strings.Split(f.formats, ",") {
		format = strings.TrimSpace(strings.ToLower(format))
		if format != report.FormatPNG && format != report.FormatSVG {
			return opt, badInput("report: --formats %s: want png, svg or png,svg", quoteShort(f.formats))
		}
		if !slices.Contains(opt.Formats, format) {
			opt.Formats = append(opt.Formats, format)
		}
	}
	if !(f.width > 0 && f.width <= maxPlotInches) || !(f.height > 0 && f.height <= maxPlotInches) {
		return opt, badInput("report: --width %g, --height %g: want inches in (0, %d]", f.width, f.height, maxPlotInches)
	}
	if f.dpi <= 0 || f.dpi > maxDPI {
		return opt, badInput("report: --dpi %d: want 1 to %d", f.dpi, maxDPI)
	}
	if px := f.width * f.height * float64(f.dpi) * float64(f.dpi); px > report.MaxPlotPixels {
		return opt, badInput("report: --width %g × --height %g inches at --dpi %d is %.0f megapixels a plot; want at most %d",
			f.width, f.height, f.dpi, px/1e6, report.MaxPlotPixels>>20)
	}
	if f.baseline == "" {
		return opt, badInput("report: --baseline is empty")
	}
	return opt, nil
}

// reportInput resolves --in: a file, or a directory holding results.json.
func reportInput(in string) (string, error) {
	if in == "" {
		return "", badInput("report: --in is required (a results.json written by bench run)")
	}
	st, err := os.Stat(in)
	if err != nil {
		return "", badInput("report: --in %q: %v", in, unwrapPathError(err))
	}
	if st.IsDir() {
		in = filepath.Join(in, report.ResultsFile)
	}
	return in, nil
}

func explicit(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func hasStrategy(f *results.File, s string) bool {
	return slices.Contains(strategiesOf(f), s)
}

func strategiesOf(f *results.File) []string {
	var out []string
	for _, r := range f.Runs {
		if !slices.Contains(out, r.Strategy) {
			out = append(out, r.Strategy)
		}
	}
	return sortedStrings(out)
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(sa, sb)
}
