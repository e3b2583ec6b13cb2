package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrSchema: a file that is not lockbench results.
var ErrSchema = errors.New("results: not a lockbench results file")

// WriteFile writes f to path atomically: a temporary file in the same
// directory, fsync, rename. A reader (or an interrupted sweep) therefore sees
// either the previous complete file or the new one, never half of one.
func WriteFile(path string, f *File) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("results: encode: %w", err)
	}
	return WriteAtomic(path, append(data, '\n'))
}

// WriteAtomic writes data to path via a temporary file and rename.
func WriteAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	// CreateTemp makes the file private (0600); a results file is meant
	// to be read by others, like any file the user writes.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("results: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("results: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("results: sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("results: close %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("results: rename %s: %w", path, err)
	}
	return nil
}

// ReadFile reads and checks a results file.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("results: %s: %w", path, err)
	}
	if f.Schema != Schema {
		return nil, fmt.Errorf("%w: %s has schema %q, want %q", ErrSchema, path, f.Schema, Schema)
	}
	return &f, nil
}
