package workloads_test

import (
	"io/fs"
	"strings"
	"testing"

	"lockbench/workload"
	"lockbench/workloads"
)

// TestEmbedded: every embedded file decodes: the workloads (named after
// their file) and the suites.
func TestEmbedded(t *testing.T) {
	entries, err := fs.ReadDir(workloads.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 12 {
		t.Fatalf("only %d embedded files", len(entries))
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok {
			t.Errorf("unexpected file %s", e.Name())
			continue
		}
		if name == "suites" {
			if len(workload.Suites()) == 0 {
				t.Error("no suites")
			}
			continue
		}
		spec, err := workload.Load(name)
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if spec.Name != name {
			t.Errorf("%s holds workload %q", e.Name(), spec.Name)
		}
	}
}
