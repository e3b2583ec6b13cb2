package report

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
)

// ErrMissingImage: WriteHTML was not given the PNG of a plot the report
// shows.
var ErrMissingImage = errors.New("report: missing plot image")

// htmlStyle is the whole styling of report.html: system fonts only, so the
// page makes no request of its own.
const htmlStyle = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1b1b;margin:0;background:#fff}
main{max-width:1180px;margin:0 auto;padding:1.5em 2em 4em}
h1{font-size:1.9em;margin:.3em 0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2.2em}h3{margin-top:1.6em}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #d0d7de;padding:.3em .6em;vertical-align:top}
th{background:#f3f5f7;text-align:left}tr:nth-child(even) td{background:#fafbfc}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#555;max-width:900px}
a{color:#0b5cad}`

// WriteHTML writes the report as one self-contained HTML page: every plot
// is inlined as a data: URI from pngs (PNG bytes by figure name, as
// RenderPNGs returns them), and nothing is fetched from anywhere.
func WriteHTML(w io.Writer, m *Model, pngs map[string][]byte) error {
	doc := buildDocument(m)
	for _, b := range doc.blocks {
		if img, ok := b.(plotBlock); ok {
			if len(pngs[img.Name]) == 0 {
				return fmt.Errorf("%w: %s", ErrMissingImage, img.Name)
			}
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	bw.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	bw.WriteString("<title>lockbench report</title>\n<style>\n" + htmlStyle + "\n</style>\n</head>\n<body>\n<main>\n")
	for _, b := range doc.blocks {
		writeHTMLBlock(bw, b, pngs)
	}
	bw.WriteString("</main>\n</body>\n</html>\n")
	return bw.Flush()
}

func writeHTMLBlock(w *bufio.Writer, b block, pngs map[string][]byte) {
	esc := html.EscapeString
	switch b := b.(type) {
	case heading:
		level := strconv.Itoa(min(max(b.Level, 1), 6))
		w.WriteString("<h" + level + " id=\"" + esc(b.ID) + "\">" + esc(b.Text) + "</h" + level + ">\n")
	case paragraph:
		w.WriteString("<p>" + htmlSpans(b.Spans) + "</p>\n")
	case bullets:
		w.WriteString("<ul>\n")
		for _, it := range b.Items {
			w.WriteString("<li>" + htmlSpans(it) + "</li>\n")
		}
		w.WriteString("</ul>\n")
	case table:
		w.WriteString("<div class=\"scroll\"><table>\n<thead><tr>")
		for i, h := range b.Header {
			w.WriteString("<th" + numClass(b, i) + ">" + esc(h) + "</th>")
		}
		w.WriteString("</tr></thead>\n<tbody>\n")
		for _, r := range b.Rows {
			w.WriteString("<tr>")
			for i, c := range r {
				w.WriteString("<td" + numClass(b, i) + ">" + esc(c) + "</td>")
			}
			w.WriteString("</tr>\n")
		}
		w.WriteString("</tbody>\n</table></div>\n")
	case plotBlock:
		w.WriteString("<figure id=\"fig-" + esc(b.Name) + "\"><img alt=\"" + esc(b.Title) + "\" src=\"data:image/png;base64,")
		w.WriteString(base64.StdEncoding.EncodeToString(pngs[b.Name]))
		w.WriteString("\">\n<figcaption>" + esc(b.Caption) + "</figcaption></figure>\n")
	}
}

func numClass(t table, col int) string {
	if col < len(t.Right) && t.Right[col] {
		return " class=\"num\""
	}
	return ""
}

func htmlSpans(spans []span) string {
	var out string
	for _, s := range spans {
		text := html.EscapeString(s.Text)
		if s.Strong {
			text = "<strong>" + text + "</strong>"
		}
		if s.Anchor != "" {
			text = "<a href=\"" + html.EscapeString(s.Anchor) + "\">" + text + "</a>"
		} else if href := fileHref(s.File); href != "" {
			text = "<a href=\"" + html.EscapeString(href) + "\">" + text + "</a>"
		}
		out += text
	}
	return out
}
