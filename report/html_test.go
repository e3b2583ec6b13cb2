package report

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// htmlReferences parses an HTML page and returns every attribute that can
// make a browser fetch or open something (src, href, srcset, action, data,
// poster, xlink:href), every element name, and the text of <style>
// elements. golang.org/x/net/html is not a dependency of this module, so
// encoding/xml parses in its lenient HTML mode (auto-closing void elements,
// HTML entities); the page is written by WriteHTML, so it is well-formed.
func htmlReferences(t *testing.T, page []byte) (refs []xml.Attr, elements map[string]int, styles []string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	elements = map[string]int{}
	inStyle := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("report.html does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(tok.Name.Local)
			elements[name]++
			inStyle = name == "style"
			for _, a := range tok.Attr {
				switch strings.ToLower(a.Name.Local) {
				case "src", "href", "srcset", "action", "data", "poster", "formaction", "background":
					refs = append(refs, a)
				}
			}
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if inStyle {
				styles = append(styles, string(tok))
			}
		}
	}
	return refs, elements, styles
}

func TestHTMLSelfContained(t *testing.T) {
	dir := renderedDir(t)
	page, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	refs, elements, styles := htmlReferences(t, page)
	for _, banned := range []string{"script", "link", "iframe", "object", "embed", "base"} {
		if elements[banned] > 0 {
			t.Errorf("report.html has %d <%s> element(s)", elements[banned], banned)
		}
	}
	for _, css := range styles {
		for _, banned := range []string{"url(", "@import", "http:", "https:"} {
			if strings.Contains(css, banned) {
				t.Errorf("report.html's CSS contains %q", banned)
			}
		}
	}
	images := 0
	for _, a := range refs {
		name, v := strings.ToLower(a.Name.Local), strings.TrimSpace(a.Value)
		switch name {
		case "src":
			b, ok := pngOf(v)
			if !ok {
				t.Errorf("src=%.40q is not a PNG data: URI", v)
				continue
			}
			if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
				t.Errorf("inlined image does not decode: %v", err)
			}
			images++
		case "href":
			if !strings.HasPrefix(v, "#") {
				t.Errorf("href=%q leaves the page (only in-page #anchors are allowed)", v)
			}
		default:
			t.Errorf("unexpected %s=%.40q", name, v)
		}
	}
	figs := Figures(syntheticModel())
	if images != len(figs) || elements["img"] != len(figs) {
		t.Errorf("%d inlined images in %d <img>, want one per figure (%d)", images, elements["img"], len(figs))
	}
	for _, f := range figs {
		if !bytes.Contains(page, []byte(`id="fig-`+f.Name+`"`)) {
			t.Errorf("figure %s is not in report.html", f.Name)
		}
	}
}

// TestHTMLReferencesChecker makes sure the checker itself catches what it
// must: a test that cannot fail proves nothing.
func TestHTMLReferencesChecker(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example/x.css"><style>body{background:url(a.png)}</style></head>
<body><img src="plot.png"><a href="//example.com">x</a><a href="#ok">y</a><br><p>a &amp; b &mdash; c</p></body></html>`)
	refs, elements, styles := htmlReferences(t, page)
	if len(refs) != 4 || elements["link"] != 1 || len(styles) != 1 {
		t.Fatalf("refs %v, elements %v, styles %v", refs, elements, styles)
	}
}

func pngOf(uri string) ([]byte, bool) {
	data, ok := strings.CutPrefix(uri, "data:image/png;base64,")
	if !ok {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(data)
	return b, err == nil
}
