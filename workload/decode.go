package workload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxFileSize bounds what Parse reads: a workload is a page of YAML.
const maxFileSize = 1 << 20

// maxDepth bounds how deeply a spec's values nest: the deepest field of a
// spec is two levels down (mix.manager.get, config.ttl), and every later
// check walks the tree, so a file of thousands of nested brackets is
// refused before it can cost memory and time.
const maxDepth = 16

// decodeStrict decodes data, one YAML mapping, into out (a pointer to a
// struct) with unknown fields rejected, and returns the document's root
// mapping node so later checks can find the line of a field. Every error is
// an *Error naming source and, when it can be found, the line and field.
//
// Beyond yaml.v3's strict mode it rejects what yaml.v3 would accept
// silently: a second document, a non-integer for an integer field (yaml.v3
// truncates 1.5 to 1), an empty value, and aliases or merge keys (a spec
// has no use for them, and they make "which line is wrong" ambiguous).
func decodeStrict(data []byte, source string, out any) (*yaml.Node, error) {
	if len(data) > maxFileSize {
		return nil, &Error{Source: source, Message: fmt.Sprintf("larger than %d bytes", maxFileSize)}
	}
	root, err := decodeNode(data, source)
	if err != nil {
		return nil, err
	}
	if err := checkNodes(root, reflect.TypeOf(out).Elem(), nil); err != nil {
		return nil, err.at(source, root)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(out); err != nil {
		if ferr := textError(root, reflect.TypeOf(out).Elem()); ferr != nil {
			return nil, ferr.at(source, root)
		}
		return nil, decodeError(err, source, root, reflect.TypeOf(out).Elem())
	}
	return root, nil
}

// decodeNode parses data into a node tree and returns the root mapping.
func decodeNode(data []byte, source string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Source: source, Message: "empty document"}
		}
		return nil, syntaxError(err, source)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(err, source)
	default:
		return nil, &Error{Source: source, Line: extra.Line, Message: "more than one YAML document"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &Error{Source: source, Message: "empty document"}
	}
	root := doc.Content[0]
	if deep := tooDeep(root, 1); deep != nil {
		return nil, &Error{Source: source, Line: deep.Line,
			Message: fmt.Sprintf("values nested more than %d levels deep", maxDepth)}
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{Source: source, Line: root.Line,
			Message: fmt.Sprintf("the document must be a mapping of fields, got %s", kindName(root))}
	}
	return root, nil
}

// tooDeep returns the first node nested deeper than maxDepth, or nil.
func tooDeep(n *yaml.Node, depth int) *yaml.Node {
	if depth > maxDepth {
		return n
	}
	for _, c := range n.Content {
		if deep := tooDeep(c, depth+1); deep != nil {
			return deep
		}
	}
	return nil
}

var syntaxLine = regexp.MustCompile(`(?s)^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parser error into an *Error with its line.
func syntaxError(err error, source string) error {
	msg := err.Error()
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Source: source, Line: line, Message: "YAML syntax: " + m[2], Err: err}
	}
	return &Error{Source: source, Message: "YAML syntax: " + strings.TrimPrefix(msg, "yaml: "), Err: err}
}

var (
	typeErrorLine  = regexp.MustCompile(`(?s)^line (\d+): (.*)$`)
	unknownField   = regexp.MustCompile(`(?s)^field (.+) not found in type (\S+)$`)
	cannotDecode   = regexp.MustCompile("(?s)^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (.+)$")
	duplicateField = regexp.MustCompile(`(?s)^mapping key "(.*)" already defined at line (\d+)$`)
)

// decodeError turns the first of yaml.v3's type errors into an *Error that
// names the field. yaml.v3 only gives a line, so the field is found by
// looking for the node on that line in the tree.
func decodeError(err error, source string, root *yaml.Node, rootType reflect.Type) error {
	var typeErr *yaml.TypeError
	if !errors.As(err, &typeErr) || len(typeErr.Errors) == 0 {
		return syntaxError(err, source)
	}
	// One clear line: the first error, and how many more there are.
	first := typeErr.Errors[0]
	more := ""
	if n := len(typeErr.Errors) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more error(s))", n)
	}
	m := typeErrorLine.FindStringSubmatch(first)
	if m == nil {
		return &Error{Source: source, Message: first + more, Err: err}
	}
	line, _ := strconv.Atoi(m[1])
	detail := m[2]
	e := &Error{Source: source, Line: line, Message: detail, Err: err}
	switch {
	case unknownField.MatchString(detail):
		name := unknownField.FindStringSubmatch(detail)[1]
		path := findNode(root, nil, line, "", name, true)
		if path == nil {
			path = fieldPath{{key: name}}
		}
		e.Field = path.String()
		e.Message = "unknown field" + suggest(name, yamlFieldNames(typeAt(rootType, path[:len(path)-1])))
	case cannotDecode.MatchString(detail):
		sub := cannotDecode.FindStringSubmatch(detail)
		if path := findNode(root, nil, line, sub[1], strings.TrimSuffix(sub[2], "..."), false); path != nil {
			e.Field = path.String()
		}
		got := map[string]string{"!!map": "a mapping", "!!seq": "a list"}[sub[1]]
		if sub[2] != "" {
			got = strconv.Quote(sub[2])
		} else if got == "" {
			got = sub[1]
		}
		e.Message = fmt.Sprintf("must be %s, got %s", describeType(sub[3]), got)
	case duplicateField.MatchString(detail):
		sub := duplicateField.FindStringSubmatch(detail)
		if path := findNode(root, nil, line, "", sub[1], true); path != nil {
			e.Field = path.String()
		}
		e.Message = "appears twice (first at line " + sub[2] + ")"
	}
	e.Message += more
	return e
}

// describeType names a Go type the way a YAML author thinks of it.
func describeType(goType string) string {
	switch goType {
	case "int", "int64":
		return "an integer"
	case "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "time.Duration":
		return "a duration such as 500ms or 2s"
	case "[]int":
		return "a list of integers such as [1, 4, 16]"
	case "map[string]float64":
		return "a mapping of operation names to weights"
	}
	if strings.HasPrefix(goType, "[]") {
		return "a list"
	}
	if strings.HasPrefix(goType, "*") {
		return describeType(goType[1:])
	}
	return "a mapping of fields"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}
