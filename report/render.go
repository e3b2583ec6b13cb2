package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

	"lockbench/internal/safefile"
	"lockbench/results"
)

// ErrInput: Render was given nothing to render.
var ErrInput = errors.New("report: bad input")

// Files Render writes, besides the plots.
const (
	ResultsFile  = "results.json"
	MarkdownFile = "report.md"
	HTMLFile     = "report.html"
	BenchFile    = "bench.txt"
)

// StagingPattern names the directory Render stages a report in, inside
// the output directory (os.MkdirTemp pattern). Only a process killed
// outright (SIGKILL, a power cut) while writing can leave one behind; it
// holds nothing but finished copies of report files and may be deleted.
const StagingPattern = ".lockbench-report-*"

// Render writes the whole report of f into outDir (created if needed):
// results.json (unless opt.SkipResults), report.md, report.html, every plot
// in each of opt.Formats, and bench.txt. See RenderContext.
func Render(f *results.File, outDir string, opt Options) error {
	return RenderContext(context.Background(), f, outDir, opt)
}

// RenderContext is Render that stops when ctx is done. Everything is
// rendered in memory first, then written into a staging directory inside
// outDir, and only when every file is complete moved into place (a rename
// each, which replaces a regular file and refuses a symlink, directory or
// device; see package safefile). So a failure or cancellation before the
// moves leaves outDir as it was — the previous report intact, no partial
// set, no temporary file — and ctx is not consulted once the moves begin,
// which take a rename per file. It returns ctx.Err() when cancelled.
func RenderContext(ctx context.Context, f *results.File, outDir string, opt Options) error {
	if f == nil {
		return fmt.Errorf("%w: no results file", ErrInput)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	opt = opt.forFile(f).withDefaults()
	for _, format := range opt.Formats {
		if format != FormatPNG && format != FormatSVG {
			return fmt.Errorf("%w: %q", ErrFormat, format)
		}
	}
	if err := opt.Check(); err != nil {
		return err
	}
	// The fixed names are checked before the work of rendering; the
	// plots' names, known after it, below.
	for _, name := range []string{ResultsFile, MarkdownFile, HTMLFile, BenchFile} {
		if err := safefile.CheckDestination(filepath.Join(outDir, name)); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	m := NewModel(f, opt)
	files, err := renderFiles(ctx, f, m, opt)
	if err != nil {
		return err
	}
	if !opt.SkipResults {
		data, err := json.MarshalIndent(f, "", "  ")
		if err != nil {
			return fmt.Errorf("report: encode results: %w", err)
		}
		files[ResultsFile] = append(data, '\n')
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if err := safefile.CheckDestination(filepath.Join(outDir, name)); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	stage, err := os.MkdirTemp(outDir, StagingPattern)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.RemoveAll(stage)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := safefile.WriteFile(filepath.Join(stage, name), files[name]); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, name := range names {
		dest := filepath.Join(outDir, name)
		if err := safefile.CheckDestination(dest); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := os.Rename(filepath.Join(stage, name), dest); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// renderFiles renders every file but results.json, by name.
func renderFiles(ctx context.Context, f *results.File, m *Model, opt Options) (map[string][]byte, error) {
	figs := Figures(m)
	pngs := make([][]byte, len(figs))
	svgs := make([][]byte, len(figs))
	wantSVG := slices.Contains(opt.Formats, FormatSVG)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, fig := range figs {
		g.Go(func() (err error) {
			if err := ctx.Err(); err != nil {
				return err
			}
			// report.html inlines PNG, so PNG is rendered whatever the
			// formats written as files.
			if pngs[i], err = RenderFigure(fig, m.Strategies, opt, FormatPNG); err != nil {
				return err
			}
			if wantSVG {
				svgs[i], err = RenderFigure(fig, m.Strategies, opt, FormatSVG)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	byName := map[string][]byte{}
	for i, fig := range figs {
		byName[fig.Name] = pngs[i]
		if slices.Contains(opt.Formats, FormatPNG) {
			files[fig.Name+"."+FormatPNG] = pngs[i]
		}
		if wantSVG {
			files[fig.Name+"."+FormatSVG] = svgs[i]
		}
	}
	var md, page, bench bytes.Buffer
	if err := WriteMarkdown(&md, m); err != nil {
		return nil, err
	}
	if err := WriteHTML(&page, m, byName); err != nil {
		return nil, err
	}
	if err := WriteBenchFormat(&bench, f); err != nil {
		return nil, err
	}
	files[MarkdownFile] = md.Bytes()
	files[HTMLFile] = page.Bytes()
	files[BenchFile] = bench.Bytes()
	return files, nil
}

// RenderPNGs renders every figure of m as PNG, by figure name: what
// WriteHTML inlines.
func RenderPNGs(m *Model, opt Options) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, fig := range Figures(m) {
		b, err := RenderFigure(fig, m.Strategies, opt, FormatPNG)
		if err != nil {
			return nil, err
		}
		out[fig.Name] = b
	}
	return out, nil
}
