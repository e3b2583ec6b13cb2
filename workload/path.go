package workload

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// pathElem is one step into a document: a mapping key or a list index.
type pathElem struct {
	key     string
	index   int
	isIndex bool
}

// fieldPath is where a value sits, printed as "config.ttl",
// "concurrency[2]" or "mix.manager.get".
type fieldPath []pathElem

func (p fieldPath) String() string {
	var b strings.Builder
	for i, e := range p {
		switch {
		case e.isIndex:
			fmt.Fprintf(&b, "[%d]", e.index)
		case i > 0:
			b.WriteString(".")
			b.WriteString(quoteKey(e.key))
		default:
			b.WriteString(quoteKey(e.key))
		}
	}
	return b.String()
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// quoteKey quotes a mapping key that is not a plain word, so that a field
// name from a hostile file cannot break the one-line error message.
func quoteKey(k string) string {
	if plainKey.MatchString(k) {
		return k
	}
	return strconv.Quote(k)
}

func (p fieldPath) key(k string) fieldPath {
	return append(p[:len(p):len(p)], pathElem{key: k})
}

func (p fieldPath) index(i int) fieldPath {
	return append(p[:len(p):len(p)], pathElem{index: i, isIndex: true})
}

// findNode returns the path of the deepest node on line that matches: a
// mapping key named value (isKey), or a value node with the given short tag
// whose text starts with value (yaml.v3 cuts long values short). nil when
// none is found.
func findNode(n *yaml.Node, path fieldPath, line int, tag, value string, isKey bool) fieldPath {
	matches := func(v *yaml.Node) bool {
		return v.Line == line && (tag == "" || v.ShortTag() == tag) &&
			(value == "" || v.Kind == yaml.ScalarNode && strings.HasPrefix(v.Value, value))
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if found := findNode(v, path.key(k.Value), line, tag, value, isKey); found != nil {
				return found
			}
			if isKey && k.Line == line && k.Value == value || !isKey && matches(v) {
				return path.key(k.Value)
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if found := findNode(item, path.index(i), line, tag, value, isKey); found != nil {
				return found
			}
			if !isKey && matches(item) {
				return path.index(i)
			}
		}
	}
	return nil
}

// lineOf returns the line of the value at path (of its key for a mapping
// entry), or 0 when the document does not contain it (a default).
func lineOf(root *yaml.Node, path fieldPath) int {
	n, line := root, 0
	for _, e := range path {
		switch {
		case e.isIndex && n.Kind == yaml.SequenceNode && e.index < len(n.Content):
			n = n.Content[e.index]
			line = n.Line
		case !e.isIndex && n.Kind == yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == e.key {
					line = n.Content[i].Line
					n = n.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return line
			}
		default:
			return line
		}
	}
	return line
}

// has reports whether the root mapping sets key.
func has(root *yaml.Node, key string) bool {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			return true
		}
	}
	return false
}

// fieldError is a validation error at a path, before the source and line
// are known.
type fieldError struct {
	path    fieldPath
	message string
	err     error // the underlying error (a store spec's), if any
}

func (e *fieldError) at(source string, root *yaml.Node) *Error {
	line := 0
	if root != nil {
		line = lineOf(root, e.path)
	}
	return &Error{Source: source, Line: line, Field: e.path.String(), Message: e.message, Err: e.err}
}
