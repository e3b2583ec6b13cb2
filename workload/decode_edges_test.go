package workload_test

import (
	"errors"
	"strings"
	"testing"

	"lockbench/workload"
)

// Error messages name the culprit exactly: the line of a syntax error,
// the value refused, how many further errors there are, and the nesting
// limit at its edge.
func TestDecodeErrorDetails(t *testing.T) {
	nested := func(k int) string {
		return minimal + "config: " + strings.Repeat("{a: ", k) + "1" + strings.Repeat("}", k) + "\n"
	}
	tests := []struct {
		name, data string
		line       int
		field      string
		msg        string // the message after the field, exactly
	}{
		{"syntax error", "name: t\npreload: 1\nmix: [\n  a\n", 0, "", ""},
		{"two type errors", minimal + "keys: x\ncount: y\n", 4, "keys", `must be an integer, got "x" (and 1 more error(s))`},
		{"one type error", minimal + "keys: x\n", 4, "keys", `must be an integer, got "x"`},
		{"int64 not an integer", minimal + "ops: 1.5\n", 4, "ops", "must be an integer, got 1.5"},
		{"seed not an integer", minimal + "seed: 2.5\n", 4, "seed", "must be an integer, got 2.5"},
		{"a mapping for a list", minimal + "concurrency: {a: 1}\n", 4, "concurrency", "must be a list of integers such as [1, 4, 16], got a mapping"},
		{"nested to the limit", nested(14), 4, "config.a.a.a.a.a.a.a.a.a.a.a.a.a.a", "unknown field"},
		{"nested past the limit", nested(15), 4, "", "values nested more than 16 levels deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := workload.Parse([]byte(tc.data), "e.yaml")
			var werr *workload.Error
			if !errors.As(err, &werr) {
				t.Fatalf("error %v, want a *workload.Error", err)
			}
			if tc.name == "syntax error" {
				if werr.Line == 0 || !strings.HasPrefix(werr.Message, "YAML syntax: ") || strings.Contains(werr.Message, "line") {
					t.Errorf("line %d, message %q: want the line apart from the message", werr.Line, werr.Message)
				}
				return
			}
			if werr.Line != tc.line || werr.Field != tc.field || werr.Message != tc.msg {
				t.Errorf("got line %d field %q message %q, want %d %q %q", werr.Line, werr.Field, werr.Message, tc.line, tc.field, tc.msg)
			}
		})
	}
}
