package workload

import (
	"encoding"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var (
	durationType        = reflect.TypeFor[time.Duration]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// isText reports whether values of t decode from one scalar through
// encoding.TextUnmarshaler (a store.Spec), which yaml.v3 calls for a scalar
// only: a list or mapping would be decoded into t's fields instead.
func isText(t reflect.Type) bool { return reflect.PointerTo(t).Implements(textUnmarshalerType) }

// visitor looks at one node and the Go type it decodes into (nil when
// there is none), and says whether walk goes on into the node's children.
type visitor func(n *yaml.Node, t reflect.Type, path fieldPath) (err *fieldError, descend bool)

// walk visits n and the nodes under it beside the Go types they decode
// into, in document order, and returns the first error visit reports.
func walk(n *yaml.Node, t reflect.Type, path fieldPath, visit visitor) *fieldError {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if err, descend := visit(n, t, path); err != nil || !descend || t == nil {
		return err
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			var elem reflect.Type
			switch t.Kind() {
			case reflect.Struct:
				elem = fieldType(t, k.Value)
			case reflect.Map:
				elem = t.Elem()
			}
			if err := walk(v, elem, path.key(k.Value), visit); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice {
			for i, item := range n.Content {
				if err := walk(item, t.Elem(), path.index(i), visit); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkNodes walks the tree beside the Go type it decodes into and rejects
// what yaml.v3 accepts silently: empty values, non-integers for integer
// fields, aliases and merge keys, and anything but a scalar for a text
// field. Unknown fields are left to yaml.v3.
func checkNodes(n *yaml.Node, t reflect.Type, path fieldPath) *fieldError {
	return walk(n, t, path, checkNode)
}

func checkNode(n *yaml.Node, t reflect.Type, path fieldPath) (*fieldError, bool) {
	if n.Kind == yaml.AliasNode {
		return &fieldError{path: path, message: "aliases are not supported; write the value out"}, false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && len(path) > 0 {
		return &fieldError{path: path, message: "has no value (remove the field to get its default)"}, false
	}
	if t == nil {
		return nil, false
	}
	if isText(t) {
		if n.Kind != yaml.ScalarNode {
			return &fieldError{path: path, message: "must be a string, got " + kindName(n)}, false
		}
		return nil, false
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			if n.Content[i].ShortTag() == "!!merge" {
				return &fieldError{path: path, message: "merge keys (<<) are not supported; write the fields out"}, false
			}
		}
	case yaml.ScalarNode:
		isInt := t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64 && t != durationType
		if isInt && n.ShortTag() == "!!float" {
			return &fieldError{path: path, message: "must be an integer, got " + n.Value}, false
		}
	}
	return nil, true
}

// textError finds the text field whose value its UnmarshalText refuses,
// the first in document order as yaml.v3 meets them, so that the error
// yaml.v3 returns bare (no line, no field) names both; nil when none does.
// It runs only after decoding failed: a value is parsed once when it is
// good. The message is the parser's, without a prefix that only repeats
// the field's name ("store: bad spec …" for the field store).
func textError(root *yaml.Node, t reflect.Type) *fieldError {
	return walk(root, t, nil, func(n *yaml.Node, t reflect.Type, path fieldPath) (*fieldError, bool) {
		if t == nil || !isText(t) {
			return nil, t != nil
		}
		if n.Kind == yaml.ScalarNode {
			if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
				msg := err.Error()
				if len(path) > 0 {
					msg = strings.TrimPrefix(msg, path[len(path)-1].key+": ")
				}
				return &fieldError{path: path, message: msg, err: err}, false
			}
		}
		return nil, false
	})
}

// fieldType returns the type of the struct field whose YAML name is name,
// looking into inlined structs; nil when there is none.
func fieldType(t reflect.Type, name string) reflect.Type {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" {
			if ft := fieldType(f.Type, name); ft != nil {
				return ft
			}
			continue
		}
		if tag == name {
			return f.Type
		}
	}
	return nil
}

// typeAt follows path from t through struct fields, slices and maps.
func typeAt(t reflect.Type, path fieldPath) reflect.Type {
	for _, e := range path {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil {
			return nil
		}
		switch t.Kind() {
		case reflect.Struct:
			t = fieldType(t, e.key)
		case reflect.Slice, reflect.Map:
			t = t.Elem()
		default:
			return nil
		}
	}
	return t
}

// yamlFieldNames lists the YAML names of a struct's fields, for
// suggestions.
func yamlFieldNames(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" {
			names = append(names, yamlFieldNames(f.Type)...)
		} else if tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	return names
}
