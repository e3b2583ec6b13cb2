package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"lockbench/internal/safefile"
)

// ErrPath: a store's path cannot be used (not a directory, not writable).
var ErrPath = errors.New("store: unusable path")

// CheckPath checks, before anything is measured, that the store of s can
// be created at the path the user gave (a file store's dir, a bolt
// store's database file): that the directory exists or can be made, and
// that a file can be written in it. It leaves nothing behind: directories
// it made and the file it wrote are removed. Specs without a path pass.
// Errors match ErrPath and quote the path.
func CheckPath(s Spec) error {
	p, ok := s.Config.(placed)
	if !ok {
		return nil
	}
	path, dir := p.place()
	if path == "" {
		return nil
	}
	// path is the directory itself (file) or a file in it (bolt).
	if st, err := os.Stat(path); err == nil && path == dir && !st.IsDir() {
		return fmt.Errorf("%w %q: not a directory", ErrPath, path)
	} else if err == nil && path != dir && st.IsDir() {
		return fmt.Errorf("%w %q: is a directory", ErrPath, path)
	}
	created, err := makeDirs(dir)
	if err != nil {
		return fmt.Errorf("%w %q: %v", ErrPath, path, unwrapPathError(err))
	}
	defer removeDirs(created)
	if err := safefile.CheckWritable(dir); err != nil {
		return fmt.Errorf("%w %q: not writable: %v", ErrPath, path, unwrapPathError(err))
	}
	return nil
}

// OpenFresh opens the store of s with no data of an earlier run. A file or
// bolt store at a path the user gave would carry one run's data into the
// next (and the next run's consistency check would find the previous
// run's keys as zombies): such a store lives in a directory of its own,
// named after label, under the user's directory (file) or beside the
// database file (bolt). Close removes that directory, and then the
// directories OpenFresh had to create for the user's path, deepest first,
// if they are empty: never a directory the user had. Stores without a
// path make and remove their own temporary files.
func OpenFresh(s Spec, label string) (Store, error) {
	p, ok := s.Config.(placed)
	if !ok {
		return s.Open()
	}
	path, dir := p.place()
	if path == "" {
		return s.Open()
	}
	created, err := makeDirs(dir)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrPath, path, unwrapPathError(err))
	}
	own, err := os.MkdirTemp(dir, ".lockbench-"+strings.ReplaceAll(label, string(os.PathSeparator), "_")+"-")
	if err != nil {
		removeDirs(created)
		return nil, fmt.Errorf("%w %q: %v", ErrPath, path, unwrapPathError(err))
	}
	st, err := p.in(own).Open()
	if err != nil {
		os.RemoveAll(own)
		removeDirs(created)
		return nil, err
	}
	return &removeOnClose{Store: st, dirs: append([]string{own}, created...)}, nil
}

// makeDirs makes dir and its missing parents, and returns the directories
// it made, deepest first.
func makeDirs(dir string) (created []string, err error) {
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) || p == filepath.Dir(p) {
			break
		}
		created = append(created, p)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		removeDirs(created)
		return nil, err
	}
	return created, nil
}

// removeDirs removes directories deepest first, each only if empty.
func removeDirs(deepestFirst []string) {
	for _, d := range deepestFirst {
		os.Remove(d)
	}
}

// unwrapPathError drops the path of an *os.PathError, which would name a
// probe file or a parent instead of the path the message quotes.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// removeOnClose removes a store's own directory, and the directories made
// for it, when the store closes. It passes the optional capabilities of
// the store through.
type removeOnClose struct {
	Store
	dirs []string // the store's own directory first, then those made for it, deepest first
}

var (
	_ StatsReporter = (*removeOnClose)(nil)
	_ StatsResetter = (*removeOnClose)(nil)
	_ Injector      = (*removeOnClose)(nil)
)

// Close closes the store and removes its directories. It is idempotent.
func (s *removeOnClose) Close() error {
	err := s.Store.Close()
	if len(s.dirs) > 0 {
		if rerr := os.RemoveAll(s.dirs[0]); err == nil {
			err = rerr
		}
		removeDirs(s.dirs[1:])
	}
	return err
}

// Dir is the store's own directory, removed by Close.
func (s *removeOnClose) Dir() string { return s.dirs[0] }

func (s *removeOnClose) Stats() Stats {
	if r, ok := s.Store.(StatsReporter); ok {
		return r.Stats()
	}
	return Stats{}
}

func (s *removeOnClose) ResetStats() {
	if r, ok := s.Store.(StatsResetter); ok {
		r.ResetStats()
	}
}

func (s *removeOnClose) SetInjection(on bool) {
	if inj, ok := s.Store.(Injector); ok {
		inj.SetInjection(on)
	}
}

// Unwrap returns the store inside its directory.
func (s *removeOnClose) Unwrap() Store { return s.Store }
