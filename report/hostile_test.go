package report

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot/vg"

	"lockbench/internal/safefile"
	"lockbench/results"
)

// hostileFile is the synthetic sweep with names and a visualization path
// that a hand-edited or hostile results file could hold.
func hostileFile() *results.File {
	f := syntheticFile()
	n := 0
	for i := range f.Runs {
		r := &f.Runs[i]
		r.Workload = "evil\n# Injected heading\n- injected item ![x](http://example.com/x.png)"
		if r.Strategy == "refactored" {
			r.Strategy = "ref\r\n| injected | row |"
			r.Consistency.Checked = true
			r.Consistency.Linearizable = results.LinIllegal
			n++
			switch n % 3 {
			case 0:
				r.Consistency.Visualization = "porcupine dir/illegal #1.html"
			case 1:
				r.Consistency.Visualization = "../../etc/passwd"
			default:
				r.Consistency.Visualization = "javascript:alert(1)"
			}
		}
	}
	return f
}

// hostileModel is the model of hostileFile, built once (the USL bootstrap
// makes NewModel slow); tests only read it.
var hostileModel = sync.OnceValue(func() *Model { return NewModel(hostileFile(), Options{}) })

// TestHostileNamesInMarkdown: names from a results file are data. A line
// break in a workload or strategy name cannot open a heading, a list item
// or a table row in report.md, an image in a name is not an image, and only
// a plain relative path is linked.
func TestHostileNamesInMarkdown(t *testing.T) {
	m := hostileModel()
	var md bytes.Buffer
	if err := WriteMarkdown(&md, m); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(md.String(), "\n") {
		for _, injected := range []string{"# Injected", "- injected", "| injected"} {
			if strings.HasPrefix(strings.TrimLeft(line, "#- "), strings.TrimLeft(injected, "#-| ")) || strings.HasPrefix(line, injected) {
				t.Errorf("report.md has an injected line: %q", line)
			}
		}
		if strings.Contains(line, "![x](http") {
			t.Errorf("an image from a name is live: %q", line)
		}
	}
	if !strings.Contains(md.String(), `evil\\n# Injected heading`) {
		t.Error(`report.md does not show the line break in the name as \n`)
	}
	if !strings.Contains(md.String(), "](porcupine%20dir/illegal%20%231.html)") {
		t.Error("report.md does not link the porcupine HTML")
	}
	for _, bad := range []string{"](../", "](javascript:"} {
		if strings.Contains(md.String(), bad) {
			t.Errorf("report.md links a path outside the results directory: %s", bad)
		}
	}
}

func TestHostileLinksInHTML(t *testing.T) {
	m := hostileModel()
	pngs, err := RenderPNGs(m, Options{DPI: 10, Width: 1, Height: 1})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, m, pngs); err != nil {
		t.Fatal(err)
	}
	refs, _, _ := htmlReferences(t, page.Bytes())
	linked := false
	for _, a := range refs {
		switch {
		case a.Value == "porcupine%20dir/illegal%20%231.html":
			linked = true
		case strings.HasPrefix(a.Value, "#"), strings.HasPrefix(a.Value, "data:image/png;base64,"):
		default:
			t.Errorf("report.html refers to %s=%q", a.Name.Local, a.Value)
		}
	}
	if !linked {
		t.Error("report.html does not link the porcupine HTML")
	}
}

func TestFileHref(t *testing.T) {
	for in, want := range map[string]string{
		"a.html":         "a.html",
		"dir/a b.html":   "dir/a%20b.html",
		"../a.html":      "",
		"/etc/passwd":    "",
		"a/../../b":      "",
		"javascript:x":   "",
		"https://x.org/": "",
		"a\nb.html":      "",
		"":               "",
		"a//b":           "",
		`a\b`:            "",
		"q?x#y.html":     "q%3Fx%23y.html",
	} {
		if got := fileHref(in); got != want {
			t.Errorf("fileHref(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlotPixelsBounded: a figure that grows with its panels beyond
// MaxPlotPixels is drawn at a lower resolution, and plot sizes beyond it
// are refused before anything is drawn.
func TestPlotPixelsBounded(t *testing.T) {
	panels := make([]Panel, 400) // a lock-wait figure of 400 locks
	f := Figure{Name: "many", Title: "many", Panels: panels, Cols: 2}
	opt := Options{Width: 6, Height: 4, DPI: 96}
	w, h := figureSize(f, opt)
	dpi := pngDPI(w, h, opt.DPI)
	if px := float64(w/vg.Inch) * float64(h/vg.Inch) * float64(dpi*dpi); px > MaxPlotPixels || dpi >= opt.DPI {
		t.Errorf("%v × %v at %d dpi: %.0f pixels, want at most %d at a lower dpi", w, h, dpi, px, MaxPlotPixels)
	}
	if dpi := pngDPI(6*vg.Inch, 4*vg.Inch, 96); dpi != 96 {
		t.Errorf("a default plot drawn at %d dpi, want 96", dpi)
	}
	for _, o := range []Options{{Width: 40, Height: 40, DPI: 600}, {Width: 6, Height: 4, DPI: 2000}} {
		if err := o.Check(); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Check(%+v) = %v, want ErrTooLarge", o, err)
		}
	}
	if err := (Options{}).Check(); err != nil {
		t.Errorf("default options: %v", err)
	}
}

// TestRenderCancelledLeavesPrevious: a render cancelled before its files
// are moved into place leaves the directory as it was — the previous
// report, no temporary file, no staging directory.
func TestRenderCancelledLeavesPrevious(t *testing.T) {
	dir := t.TempDir()
	opt := Options{Formats: []string{FormatSVG}, DPI: 10, Width: 1, Height: 1}
	if err := Render(partialFile(), dir, opt); err != nil {
		t.Fatal(err)
	}
	before := readAll(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := RenderContext(ctx, syntheticFile(), dir, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("RenderContext after cancel: %v, want context.Canceled", err)
	}
	after := readAll(t, dir)
	if len(after) != len(before) {
		t.Errorf("%d files before, %d after", len(before), len(after))
	}
	for name, data := range after {
		if !bytes.Equal(data, before[name]) {
			t.Errorf("%s changed", name)
		}
	}
}

// TestRenderRefusesSymlink: a symlink planted at a report file's name is
// refused, its target untouched, and nothing of the report is moved in.
func TestRenderRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, BenchFile)); err != nil {
		t.Fatal(err)
	}
	err := Render(partialFile(), dir, Options{Formats: []string{FormatSVG}, DPI: 10, Width: 1, Height: 1})
	if !errors.Is(err, safefile.ErrUnsafeDestination) {
		t.Fatalf("Render over a symlink: %v, want ErrUnsafeDestination", err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "keep" {
		t.Errorf("the symlink's target was written: %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in %s, want only the planted symlink", len(entries), dir)
	}
}

// readAll reads every file of dir, failing on a hidden (temporary or
// staging) entry.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			t.Errorf("%s holds %s", dir, e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}
