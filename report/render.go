package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

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

// Render writes the whole report of f into outDir (created if needed):
// results.json (unless opt.SkipResults), report.md, report.html, every plot
// in each of opt.Formats, and bench.txt. Everything is rendered in memory
// first, so a failure writes nothing; each file is then written atomically
// (temporary file and rename), so a reader never sees half a file.
func Render(f *results.File, outDir string, opt Options) error {
	if f == nil {
		return fmt.Errorf("%w: no results file", ErrInput)
	}
	opt = opt.withDefaults()
	for _, format := range opt.Formats {
		if format != FormatPNG && format != FormatSVG {
			return fmt.Errorf("%w: %q", ErrFormat, format)
		}
	}
	m := NewModel(f, opt)
	files, err := renderFiles(f, m, opt)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		path := filepath.Join(outDir, name)
		if err := results.WriteAtomic(path, files[name]); err != nil {
			return err
		}
		if err := readable(path); err != nil {
			return err
		}
	}
	if opt.SkipResults {
		return nil
	}
	path := filepath.Join(outDir, ResultsFile)
	if err := results.WriteFile(path, f); err != nil {
		return err
	}
	return readable(path)
}

// readable opens a written file to everyone: the atomic writer's temporary
// file is private (0600), but a report is meant to be read, served and
// committed.
func readable(path string) error {
	if err := os.Chmod(path, 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// renderFiles renders every file but results.json, by name.
func renderFiles(f *results.File, m *Model, opt Options) (map[string][]byte, error) {
	figs := Figures(m)
	pngs := make([][]byte, len(figs))
	svgs := make([][]byte, len(figs))
	wantSVG := slices.Contains(opt.Formats, FormatSVG)
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, fig := range figs {
		g.Go(func() (err error) {
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
