package consistency

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lockbench/ctxsys"
	"lockbench/internal/safefile"
	"lockbench/results"
)

// TestVisualizationNeverThroughASymlink: porcupine's page goes through
// safefile, so a symlink planted at its predictable name is refused — the
// file it points at is untouched, the verdict stands, a note says why —
// and a stale regular file there is replaced.
func TestVisualizationNeverThroughASymlink(t *testing.T) {
	w := world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}}
	ops := []Op{
		op("manager.create", "a", 0, 10, write(1, "w0-1")),
		op("manager.update", "a", 20, 30, by(1), write(2, "w1-1")),
	}
	const page = "case-lin-manager_a.html"
	check := func(t *testing.T, dir string) results.Consistency {
		in, o := observe(t, 2, Options{History: true}, w, ops...)
		in.OutDir, in.RunName = dir, "case"
		got := o.Check(context.Background(), in)
		if got.Linearizable != results.LinIllegal {
			t.Fatalf("linearizable = %q, want illegal", got.Linearizable)
		}
		return got
	}
	t.Run("symlink", func(t *testing.T) {
		dir := t.TempDir()
		victim := filepath.Join(t.TempDir(), "victim")
		if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(victim, filepath.Join(dir, page)); err != nil {
			t.Fatal(err)
		}
		got := check(t, dir)
		if b, _ := os.ReadFile(victim); string(b) != "keep" {
			t.Errorf("the symlink's target was overwritten: %q", b)
		}
		if got.Visualization != "" {
			t.Errorf("visualization = %q, want none written", got.Visualization)
		}
		notes := strings.Join(got.Notes, "\n")
		if !strings.Contains(notes, "not written") || !strings.Contains(notes, "symlink") {
			t.Errorf("notes %q do not say the page was refused", got.Notes)
		}
		if err := safefile.CheckDestination(filepath.Join(dir, page)); !errors.Is(err, safefile.ErrUnsafeDestination) {
			t.Errorf("the planted symlink is gone or changed: %v", err)
		}
	})
	t.Run("stale file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, page), []byte("stale"), 0o644); err != nil {
			t.Fatal(err)
		}
		got := check(t, dir)
		b, err := os.ReadFile(filepath.Join(dir, got.Visualization))
		if err != nil || !strings.Contains(string(b), "manager.update") {
			t.Errorf("visualization %q not replaced (%v)", got.Visualization, err)
		}
	})
}
