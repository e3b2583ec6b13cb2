package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown. Plots are
// linked by relative file name (<stem>.png, or .svg when only SVG is
// written), so report.md renders beside its plot files.
func WriteMarkdown(w io.Writer, m *Model) error {
	bw := bufio.NewWriter(w)
	writeMarkdownBlocks(bw, buildDocument(m).blocks, m.ImageFormat)
	return bw.Flush()
}

func writeMarkdownBlocks(w *bufio.Writer, blocks []block, imageFormat string) {
	for i, b := range blocks {
		if i > 0 {
			w.WriteString("\n")
		}
		switch b := b.(type) {
		case heading:
			w.WriteString(strings.Repeat("#", b.Level) + " " + mdEscape(b.Text) + "\n")
		case paragraph:
			w.WriteString(mdSpans(b.Spans) + "\n")
		case bullets:
			for _, it := range b.Items {
				w.WriteString("- " + mdSpans(it) + "\n")
			}
		case table:
			writeMarkdownTable(w, b)
		case plotBlock:
			w.WriteString("![" + mdEscape(b.Title) + "](" + b.Name + "." + imageFormat + ")\n\n")
			w.WriteString("*" + mdEscape(b.Caption) + "*\n")
		}
	}
}

func writeMarkdownTable(w *bufio.Writer, t table) {
	row := func(cells []string) {
		w.WriteString("|")
		for _, c := range cells {
			w.WriteString(" " + mdEscape(c) + " |")
		}
		w.WriteString("\n")
	}
	row(t.Header)
	w.WriteString("|")
	for i := range t.Header {
		if i < len(t.Right) && t.Right[i] {
			w.WriteString("---:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
}

func mdSpans(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		text := mdEscape(s.Text)
		if s.Strong {
			text = "**" + text + "**"
		}
		if s.Anchor != "" {
			text = "[" + text + "](" + s.Anchor + ")"
		} else if href := fileHref(s.File); href != "" {
			text = "[" + text + "](" + href + ")"
		}
		b.WriteString(text)
	}
	return b.String()
}

// mdEscape escapes what Markdown would read as syntax inside a line, and
// nothing more, so the source stays readable: an underscore inside a word
// (store_divergence) is not emphasis on GitHub, brackets are only a link
// when a ']' is followed by a target, '<' only a tag before a letter. The
// report never starts a line with text that could be a block marker, and
// text from a results file (workload and strategy names) cannot start one
// either: a line break or other control character in it is written as its
// Go escape (\n), so it cannot open a heading, a list or a table row.
func mdEscape(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r) // '\n', '\x00'
			b.WriteString(`\` + q[1:len(q)-1])
			continue
		}
		switch r {
		case ']':
			if i+1 < len(rs) && (rs[i+1] == '(' || rs[i+1] == '[' || rs[i+1] == ':') {
				b.WriteByte('\\')
			}
		case '\\', '*', '`', '|':
			b.WriteByte('\\')
		case '<':
			if i+1 < len(rs) && (unicode.IsLetter(rs[i+1]) || strings.ContainsRune("/!?", rs[i+1])) {
				b.WriteByte('\\')
			}
		case '_':
			inWord := i > 0 && i < len(rs)-1 && isWordRune(rs[i-1]) && isWordRune(rs[i+1])
			if !inWord {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
