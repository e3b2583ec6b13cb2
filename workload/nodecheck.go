package workload

import (
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var durationType = reflect.TypeOf(time.Duration(0))

// checkNodes walks the tree beside the Go type it decodes into and rejects
// what yaml.v3 accepts silently: empty values, non-integers for integer
// fields, aliases and merge keys. Unknown fields are left to yaml.v3.
func checkNodes(n *yaml.Node, t reflect.Type, path fieldPath) *fieldError {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		return &fieldError{path: path, message: "aliases are not supported; write the value out"}
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && len(path) > 0 {
		return &fieldError{path: path, message: "has no value (remove the field to get its default)"}
	}
	if t == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" {
				return &fieldError{path: path, message: "merge keys (<<) are not supported; write the fields out"}
			}
			var elem reflect.Type
			switch t.Kind() {
			case reflect.Struct:
				elem = fieldType(t, k.Value)
			case reflect.Map:
				elem = t.Elem()
			}
			if err := checkNodes(v, elem, path.key(k.Value)); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice {
			for i, item := range n.Content {
				if err := checkNodes(item, t.Elem(), path.index(i)); err != nil {
					return err
				}
			}
		}
	case yaml.ScalarNode:
		isInt := t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64 && t != durationType
		if isInt && n.ShortTag() == "!!float" {
			return &fieldError{path: path, message: "must be an integer, got " + n.Value}
		}
	}
	return nil
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
