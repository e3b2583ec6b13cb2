// Package safefile writes lockbench's output files so that nothing can
// redirect them. Every file is written to a fresh temporary file in the
// destination's directory (created exclusively, so a planted name cannot
// be reused) and then renamed over the destination. rename(2) replaces a
// symlink itself instead of following it, and the destination is checked
// first: if it exists it must be a regular file, so a symlink, directory or
// device at the destination is refused with ErrUnsafeDestination rather
// than written through.
//
// A reader therefore sees the previous complete file or the new one, never
// half of one, and an interrupted writer leaves at most a ".*.tmp-*" file,
// which Abort removes.
package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrUnsafeDestination: the destination exists and is not a regular file
// (a symlink, a directory, a device, a pipe).
var ErrUnsafeDestination = errors.New("safefile: destination is not a regular file")

// File is an output file being written. Write to it, then Commit to move
// it into place, or Abort to discard it. Abort after Commit is a no-op, so
// `defer f.Abort()` is the usual pattern.
type File struct {
	tmp  *os.File
	dest string
	done bool
}

// Create starts writing dest. The destination is checked now and again at
// Commit; nothing is visible at dest until Commit.
func Create(dest string) (*File, error) {
	if err := CheckDestination(dest); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("safefile: %w", err)
	}
	// CreateTemp makes the file private (0600); lockbench's outputs are
	// meant to be read by others, like any file the user writes.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("safefile: %w", err)
	}
	return &File{tmp: tmp, dest: dest}, nil
}

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.tmp.Write(p) }

// Name is the destination path.
func (f *File) Name() string { return f.dest }

// Commit syncs the temporary file and renames it over the destination.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("safefile: %s: already committed or aborted", f.dest)
	}
	f.done = true
	name := f.tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	if err := f.tmp.Sync(); err != nil {
		f.tmp.Close()
		return fmt.Errorf("safefile: sync %s: %w", f.dest, err)
	}
	if err := f.tmp.Close(); err != nil {
		return fmt.Errorf("safefile: close %s: %w", f.dest, err)
	}
	if err := CheckDestination(f.dest); err != nil {
		return err
	}
	if err := os.Rename(name, f.dest); err != nil {
		return fmt.Errorf("safefile: rename %s: %w", f.dest, err)
	}
	return nil
}

// Abort discards the temporary file; the destination is untouched.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// WriteFile writes data to dest through a temporary file and rename.
func WriteFile(dest string, data []byte) error {
	f, err := Create(dest)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("safefile: write %s: %w", dest, err)
	}
	return f.Commit()
}

// CheckDestination reports whether dest may be replaced: it must not exist,
// or be a regular file. It does not follow a final symlink.
func CheckDestination(dest string) error {
	info, err := os.Lstat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%w: %q is a %s", ErrUnsafeDestination, dest, kind(info.Mode()))
	}
	return nil
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m.IsDir():
		return "directory"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "non-regular file"
}
