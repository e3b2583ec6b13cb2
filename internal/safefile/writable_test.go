package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestCheckWritableLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritable(dir); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the probe left %s", entries[0].Name())
	}
}

func TestCheckWritableRefuses(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{filepath.Join(dir, "missing"), file} {
		err := CheckWritable(bad)
		var pe *fs.PathError
		if err == nil || !errors.As(err, &pe) {
			t.Errorf("CheckWritable(%q) = %v, want a *fs.PathError", bad, err)
		}
	}
}
