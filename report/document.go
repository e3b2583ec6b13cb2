package report

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// document is the report as a sequence of blocks, built once from the Model;
// the Markdown and HTML writers each walk it, so they say the same thing.
type document struct {
	blocks []block
	// slugs counts heading anchors already used, to make them unique the
	// way GitHub does (a second "x" becomes "x-1").
	slugs map[string]int
}

// block is one of heading, paragraph, bullets, table or plotBlock.
type block interface{ isBlock() }

// span is a run of text, optionally strong, linking to an anchor in the
// report ("#id") or to a file lockbench wrote beside the results (File,
// a relative path such as porcupine's HTML of an illegal history). Links
// never leave the results directory: report.html makes no external request
// and embeds no other file.
type span struct {
	Text   string
	Strong bool
	Anchor string
	File   string
}

// fileHref returns the link target of a relative path from a results
// file, or "" when the path is not a plain relative path inside the
// results directory (absolute, "..", a URL scheme, control characters):
// such a path from a hostile file stays text.
func fileHref(p string) string {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, ":") || strings.Contains(p, "\\") {
		return ""
	}
	var parts []string
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." || strings.ContainsFunc(part, unicode.IsControl) {
			return ""
		}
		parts = append(parts, url.PathEscape(part))
	}
	return strings.Join(parts, "/")
}

type heading struct {
	Level int
	Text  string
	ID    string
}

type paragraph struct{ Spans []span }

type bullets struct{ Items [][]span }

// table is a grid of plain text cells; Right marks right-aligned (numeric)
// columns.
type table struct {
	Header []string
	Right  []bool
	Rows   [][]string
}

// plotBlock is a plot, by file stem, with its title (the alt text) and caption.
type plotBlock struct {
	Name    string
	Title   string
	Caption string
}

func (heading) isBlock()   {}
func (paragraph) isBlock() {}
func (bullets) isBlock()   {}
func (table) isBlock()     {}
func (plotBlock) isBlock() {}

func newDocument() *document { return &document{slugs: map[string]int{}} }

// heading adds a heading and returns its anchor.
func (d *document) heading(level int, text string) string {
	base := slug(text)
	id := base
	if n := d.slugs[base]; n > 0 {
		id = base + "-" + strconv.Itoa(n)
	}
	d.slugs[base]++
	d.blocks = append(d.blocks, heading{Level: level, Text: text, ID: id})
	return id
}

// text adds a paragraph of plain sentences.
func (d *document) text(sentences ...string) {
	var parts []string
	for _, s := range sentences {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) > 0 {
		d.blocks = append(d.blocks, paragraph{Spans: []span{{Text: strings.Join(parts, " ")}}})
	}
}

func (d *document) spans(s ...span) { d.blocks = append(d.blocks, paragraph{Spans: s}) }

func (d *document) list(items ...string) {
	if len(items) == 0 {
		return
	}
	b := bullets{}
	for _, it := range items {
		b.Items = append(b.Items, []span{{Text: it}})
	}
	d.blocks = append(d.blocks, b)
}

func (d *document) add(b block) { d.blocks = append(d.blocks, b) }

// slug makes a heading anchor the way GitHub does: lower case, punctuation
// dropped, spaces to hyphens.
func slug(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
