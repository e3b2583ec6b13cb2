// Package dirlock takes an advisory lock on an output directory, so that
// two lockbench processes never write one directory at once (two sweeps
// into one --out would each rewrite results.json with only their own runs).
//
// The lock is flock(2) on a file named LockFile inside the directory,
// holding the holder's process id for the message of the process refused.
// Unlock removes the file. The kernel releases the lock when the holder
// exits, however it exits, so a stale lock cannot outlive its process:
// after a SIGKILL the file stays behind, meaningless, and the next TryLock
// takes it over. Because the holder removes the file, a process that
// opened it just before may lock a file no longer in the directory;
// TryLock therefore checks, once locked, that the path still names the
// file it locked, and tries again if not.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockFile is the name of the lock file inside a locked directory.
const LockFile = ".lockbench.lock"

// ErrLocked: another process holds the directory's lock.
var ErrLocked = errors.New("dirlock: directory in use")

// Lock is a held lock; Unlock releases it.
type Lock struct {
	f    *os.File
	path string
}

// LockedError is ErrLocked with the directory and, when known, the pid of
// the holder.
type LockedError struct {
	Dir string
	PID int // 0 when unknown
}

func (e *LockedError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%q is in use by another lockbench process (pid %d)", e.Dir, e.PID)
	}
	return fmt.Sprintf("%q is in use by another lockbench process", e.Dir)
}

// Is makes errors.Is(err, ErrLocked) hold.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// TryLock takes dir's lock without waiting: a *LockedError (matching
// ErrLocked) when another process — or another Lock in this process —
// holds it. dir must exist. The lock file is opened without following a
// symlink.
func TryLock(dir string) (*Lock, error) {
	path := filepath.Join(dir, LockFile)
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o644)
		if err != nil {
			return nil, fmt.Errorf("dirlock: %w", err)
		}
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			f.Close()
			return nil, fmt.Errorf("dirlock: %q is not a regular file", path)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, &LockedError{Dir: dir, PID: holder(path)}
			}
			return nil, fmt.Errorf("dirlock: %q: %w", path, err)
		}
		if now, err := os.Lstat(path); err != nil || !os.SameFile(st, now) {
			f.Close() // the previous holder removed it meanwhile
			continue
		}
		// Our pid, for the message of a process refused. A failure here
		// costs only that message's detail.
		if err := f.Truncate(0); err == nil {
			f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		}
		return &Lock{f: f, path: path}, nil
	}
	return nil, fmt.Errorf("dirlock: %q keeps being replaced", path)
}

// Unlock removes the lock file and releases the lock. Unlock of a nil
// *Lock, or twice, does nothing.
func (l *Lock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path) // while still locked: see the package comment
	l.f.Close()       // closing the only descriptor releases the flock
	l.f = nil
}

// holder reads the pid the holder wrote, or 0.
func holder(path string) int {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, 32)
	n, _ := f.Read(buf)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
