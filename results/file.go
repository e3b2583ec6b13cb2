package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"lockbench/internal/safefile"
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

// WriteAtomic writes data to path via a temporary file and rename; it
// never writes through a symlink (see package safefile).
func WriteAtomic(path string, data []byte) error {
	if err := safefile.WriteFile(path, data); err != nil {
		return fmt.Errorf("results: %w", err)
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
