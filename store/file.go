package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// fileKind is the table entry of the file store.
var fileKind = kind{
	info: KindInfo{
		Name:        "file",
		Description: "one file per key, written atomically (temp file, fsync, rename)",
		Options: []OptionInfo{
			{"dir", "PATH", "fresh temp dir, removed on close", "directory of the files"},
			{"fsync", "true|false", "true", "sync file and directory on every write"},
		},
	},
	parse: parseFile,
}

// FileConfig configures the file store.
type FileConfig struct {
	// Dir holds one file per key. Empty means a fresh temporary directory,
	// removed by Close.
	Dir string
	// Fsync makes every write durable before it returns: the temporary
	// file is synced before the rename and the directory after it.
	// ParseSpec sets true when the spec does not say fsync=false.
	Fsync bool
}

// Kind implements Config.
func (FileConfig) Kind() string { return "file" }

// Open implements Config.
func (c FileConfig) Open() (Store, error) { return NewFile(c) }

func (c FileConfig) place() (path, dir string) { return c.Dir, c.Dir }

func (c FileConfig) in(dir string) Config { c.Dir = dir; return c }

func parseFile(o options) (Config, error) {
	c := FileConfig{Fsync: true}
	if err := o.allow("dir", "fsync"); err != nil {
		return c, err
	}
	if v, ok := o.lookup("dir"); ok {
		if v == "" {
			return c, badf("dir must not be empty (omit it for a temporary directory)")
		}
		c.Dir = v
	}
	if v, ok := o.lookup("fsync"); ok {
		switch v {
		case "true":
			c.Fsync = true
		case "false":
			c.Fsync = false
		default:
			return c, badf("fsync %q is not true or false", v)
		}
	}
	return c, nil
}

func (c FileConfig) options() []string {
	var opts []string
	if c.Dir != "" {
		opts = append(opts, "dir="+c.Dir)
	}
	if !c.Fsync {
		opts = append(opts, "fsync=false")
	}
	return opts
}

// File stores one file per key in a directory. A write goes to a
// temporary file in the same directory, is synced (with Fsync), and is
// renamed over the key's file, and the directory is then synced (with
// Fsync): a reader or a crash sees the old value or the new one, never a
// torn file.
//
// Concurrency: any number of goroutines (or processes) may use one
// directory. Each Put writes its own temporary file and the rename is
// atomic, so concurrent Puts of one key leave exactly one of the written
// values; Get reads whichever file the key names at that moment; List reads
// the directory once and reports the keys present then. No lock is held
// across I/O.
//
// File names are the keys escaped: letters, digits, '-' and '_' stay, every
// other byte becomes %XX, and a "k" is put in front, so that any key
// (including "", "." and keys with '/') maps to a plain file name that
// cannot collide with the ".tmp-" files. A key whose escaped name exceeds
// the file system's limit (255 bytes on most) fails to Put.
type File struct {
	dir       string
	fsync     bool
	removeDir bool // dir is a temporary directory of ours

	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*File)(nil)

const (
	fileKeyPrefix = "k"
	fileTmpPrefix = ".tmp-"
)

// NewFile opens a file store in cfg.Dir, creating the directory if needed;
// with an empty Dir, in a fresh temporary directory that Close removes.
func NewFile(cfg FileConfig) (*File, error) {
	f := &File{dir: cfg.Dir, fsync: cfg.Fsync}
	if f.dir == "" {
		dir, err := os.MkdirTemp("", "lockbench-store-")
		if err != nil {
			return nil, fmt.Errorf("store: file: %w", err)
		}
		f.dir, f.removeDir = dir, true
	} else if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: file: %w", err)
	}
	return f, nil
}

// Dir returns the directory holding the files.
func (f *File) Dir() string { return f.dir }

func escapeKey(key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(fileKeyPrefix) + len(key))
	b.WriteString(fileKeyPrefix)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// unescapeKey inverts escapeKey; ok is false for names it did not make.
func unescapeKey(name string) (key string, ok bool) {
	rest, found := strings.CutPrefix(name, fileKeyPrefix)
	if !found {
		return "", false
	}
	b := make([]byte, 0, len(rest))
	for i := 0; i < len(rest); i++ {
		if rest[i] != '%' {
			b = append(b, rest[i])
			continue
		}
		if i+2 >= len(rest) {
			return "", false
		}
		hi, ok1 := unhex(rest[i+1])
		lo, ok2 := unhex(rest[i+2])
		if !ok1 || !ok2 {
			return "", false
		}
		b = append(b, hi<<4|lo)
		i += 2
	}
	return string(b), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (f *File) path(key string) string { return filepath.Join(f.dir, escapeKey(key)) }

// Put implements Store.
func (f *File) Put(_ context.Context, key string, value []byte) error {
	if err := f.writeAtomic(f.path(key), value); err != nil {
		return fmt.Errorf("store: file: put %q: %w", key, err)
	}
	return nil
}

// writeAtomic writes value to a temporary file and renames it to name; the
// temporary file is removed on any failure.
func (f *File) writeAtomic(name string, value []byte) (err error) {
	tmp, err := os.CreateTemp(f.dir, fileTmpPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(value); err != nil {
		return err
	}
	if f.fsync {
		if err = tmp.Sync(); err != nil {
			return err
		}
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	return f.syncDir()
}

// syncDir makes a rename or removal durable (with Fsync).
func (f *File) syncDir() error {
	if !f.fsync {
		return nil
	}
	d, err := os.Open(f.dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Get implements Store.
func (f *File) Get(_ context.Context, key string) ([]byte, error) {
	v, err := os.ReadFile(f.path(key))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: %q", ErrNotFound, key)
	case err != nil:
		return nil, fmt.Errorf("store: file: get %q: %w", key, err)
	}
	return v, nil
}

// Delete implements Store.
func (f *File) Delete(_ context.Context, key string) error {
	err := os.Remove(f.path(key))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("store: file: delete %q: %w", key, err)
	}
	if err := f.syncDir(); err != nil {
		return fmt.Errorf("store: file: delete %q: %w", key, err)
	}
	return nil
}

// List implements Store.
func (f *File) List(_ context.Context, prefix string) ([]string, error) {
	d, err := os.Open(f.dir)
	if err != nil {
		return nil, fmt.Errorf("store: file: list %q: %w", prefix, err)
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("store: file: list %q: %w", prefix, err)
	}
	keys := []string{}
	for _, name := range names {
		if key, ok := unescapeKey(name); ok && strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// Close implements Store: it removes the directory if it is a temporary
// one of ours. Close is idempotent.
func (f *File) Close() error {
	f.closeOnce.Do(func() {
		if f.removeDir {
			f.closeErr = os.RemoveAll(f.dir)
		}
	})
	return f.closeErr
}
