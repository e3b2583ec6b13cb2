package dirlock

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTryLock(t *testing.T) {
	dir := t.TempDir()
	first, err := TryLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = TryLock(dir)
	var locked *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &locked) {
		t.Fatalf("second TryLock: %v, want ErrLocked", err)
	}
	if locked.PID != os.Getpid() || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q: want the directory and pid %d", err, os.Getpid())
	}
	first.Unlock()
	again, err := TryLock(dir)
	if err != nil {
		t.Fatalf("TryLock after Unlock: %v", err)
	}
	again.Unlock()
	again.Unlock() // twice is harmless
}

func TestTryLockRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, LockFile)); err != nil {
		t.Fatal(err)
	}
	if l, err := TryLock(dir); err == nil {
		l.Unlock()
		t.Fatal("locked through a symlink")
	}
	if data, _ := os.ReadFile(target); string(data) != "keep" {
		t.Errorf("the symlink's target was written: %q", data)
	}
}

func TestUnlockRemovesFile(t *testing.T) {
	dir := t.TempDir()
	l, err := TryLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Unlock()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%s holds %s after Unlock", dir, entries[0].Name())
	}
}

// TestStaleLockFileTakenOver: a lock file left by a killed holder (no
// process holds its flock) does not block the next TryLock.
func TestStaleLockFileTakenOver(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, LockFile), []byte("999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := TryLock(dir)
	if err != nil {
		t.Fatalf("stale lock file: %v", err)
	}
	l.Unlock()
}
