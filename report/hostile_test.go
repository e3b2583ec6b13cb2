package report

import (
	"bytes"
	"strings"
	"testing"

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

// TestHostileNamesInMarkdown: names from a results file are data. A line
// break in a workload or strategy name cannot open a heading, a list item
// or a table row in report.md, an image in a name is not an image, and only
// a plain relative path is linked.
func TestHostileNamesInMarkdown(t *testing.T) {
	m := NewModel(hostileFile(), Options{})
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
	m := NewModel(hostileFile(), Options{})
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
