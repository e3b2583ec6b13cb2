package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"lockbench/internal/dirlock"
	"lockbench/internal/safefile"
)

// outDir is an output directory checked, created if needed and locked for
// one command: two lockbench processes never write one directory at once.
type outDir struct {
	path    string
	lock    *dirlock.Lock
	created []string // directories created, deepest first
}

// openOutDir checks that dir (the value of flag, e.g. "run: --out") is or
// can be made a writable directory, creates it, and takes its lock. Every
// failure is bad input (exit 2) naming dir once, and leaves nothing behind.
func openOutDir(flag, dir string) (*outDir, error) {
	if dir == "" {
		return nil, badInput("%s is empty (give a directory)", flag)
	}
	o := &outDir{path: dir}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, badInput("%s %q is not a directory", flag, dir)
	}
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) || p == filepath.Dir(p) {
			break
		}
		o.created = append(o.created, p)
	}
	if len(o.created) > 0 {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			o.removeCreated()
			return nil, badInput("%s %q: %v", flag, dir, unwrapPathError(err))
		}
	}
	if err := safefile.CheckWritable(dir); err != nil {
		o.removeCreated()
		return nil, badInput("%s %q is not a writable directory: %v", flag, dir, unwrapPathError(err))
	}
	var err error
	if o.lock, err = dirlock.TryLock(dir); err != nil {
		o.removeCreated()
		var locked *dirlock.LockedError
		if errors.As(err, &locked) {
			return nil, badInput("%s %s; wait for it to finish or choose another directory", flag, locked)
		}
		return nil, badInput("%s %q: %v", flag, dir, err)
	}
	return o, nil
}

// close releases the lock.
func (o *outDir) close() {
	if o != nil {
		o.lock.Unlock()
	}
}

func (o *outDir) removeCreated() {
	for _, d := range o.created {
		os.Remove(d)
	}
}

// unwrapPathError drops the path of an *os.PathError, which would name the
// probe file instead of the directory the message is about.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// quoteShort quotes s for a one-line message, cut to a readable length: a
// culprit from a file or a flag may be any length and hold any byte.
func quoteShort(s string) string { return quoteCut(s, 80) }

func quoteCut(s string, limit int) string {
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:limit]) + "…"
}

// quoteList quotes names from a file for a one-line message: each cut
// short, at most ten of them.
func quoteList(names []string) string {
	const limit = 10
	var quoted []string
	for i, n := range names {
		if i == limit {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(names)-limit))
			break
		}
		quoted = append(quoted, quoteCut(n, 40))
	}
	return strings.Join(quoted, ", ")
}

// showPath is p as typed when it is plain printable text, quoted when not:
// a path with a line break must not split a message.
func showPath(p string) string {
	if strconv.CanBackquote(p) && !strings.ContainsAny(p, " `") {
		return p
	}
	return strconv.Quote(p)
}
