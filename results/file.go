package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// MaxFileSize bounds what Read accepts. The full suite's results.json is a
// few megabytes; a file far larger (or /dev/zero) is not a results file,
// and reading it whole would only cost memory.
const MaxFileSize = 128 << 20

// ErrTooLarge: the input is larger than MaxFileSize.
var ErrTooLarge = errors.New("results: file too large")

// ReadFile reads and checks a results file.
func ReadFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		// The path, quoted, once: a newline in it cannot split the line.
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return nil, fmt.Errorf("results: %q: %w", path, err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read decodes and checks a results file from r; name is how errors call
// it. It reads at most MaxFileSize bytes, and stops at the first byte that
// cannot start or continue a results file.
func Read(r io.Reader, name string) (*File, error) {
	return readLimited(r, name, MaxFileSize)
}

// readLimited is Read with a size limit of its own (tests use a small one).
func readLimited(r io.Reader, name string, limit int64) (*File, error) {
	limited := &io.LimitedReader{R: r, N: limit + 1}
	dec := json.NewDecoder(limited)
	var f File
	err := dec.Decode(&f)
	if err == nil {
		// One JSON value and nothing after it but white space.
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("data after the JSON value")
		}
	}
	if limited.N <= 0 {
		return nil, fmt.Errorf("%w: %q is larger than %d bytes", ErrTooLarge, name, limit)
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF // an empty file is a truncated one
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrSchema, name, err)
	}
	if f.Schema != Schema {
		return nil, fmt.Errorf("%w: %q has schema %.40q, want %q", ErrSchema, name, f.Schema, Schema)
	}
	return &f, nil
}
