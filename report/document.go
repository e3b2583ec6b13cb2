package report

import (
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

// span is a run of text, optionally strong or linking to an anchor in the
// report ("#id"). Links never leave the document: report.html must make no
// external request and reference no other file.
type span struct {
	Text   string
	Strong bool
	Anchor string
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
