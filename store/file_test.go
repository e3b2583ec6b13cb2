package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscapeKey(t *testing.T) {
	for _, key := range []string{"", ".", "..", "a/b", "%", "%2F", "k", "A-z_0", "ü", "\x00\xff", strings.Repeat("x", 80)} {
		name := escapeKey(key)
		if strings.ContainsAny(name, "/.\x00") || strings.HasPrefix(name, fileTmpPrefix) {
			t.Errorf("escapeKey(%q) = %q: not a plain file name", key, name)
		}
		if got, ok := unescapeKey(name); !ok || got != key {
			t.Errorf("unescapeKey(escapeKey(%q)) = %q, %v", key, got, ok)
		}
	}
	for _, name := range []string{"", "x", ".tmp-123", "k%", "k%4", "k%4g", "k%zz"} {
		if key, ok := unescapeKey(name); ok {
			t.Errorf("unescapeKey(%q) = %q, true; want false", name, key)
		}
	}
}

// TestFileTempRemovedOnError makes the rename fail (the key's file name is
// taken by a directory) and checks that no temporary file is left behind.
func TestFileTempRemovedOnError(t *testing.T) {
	for _, fsync := range []bool{false, true} {
		dir := t.TempDir()
		f, err := NewFile(FileConfig{Dir: dir, Fsync: fsync})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, escapeKey("taken")), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := f.Put(context.Background(), "taken", []byte("v")); err == nil {
			t.Fatal("Put over a directory succeeded")
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Fatalf("fsync=%v: directory holds %d entries after a failed Put, want only the blocking directory", fsync, len(entries))
		}
	}
}

func TestTemporaryStoresRemovedOnClose(t *testing.T) {
	ctx := context.Background()
	f, err := NewFile(FileConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(ctx, "a", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary directory %s still there after Close: %v", f.Dir(), err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	b, err := NewBolt(BoltConfig{})
	if err != nil {
		t.Fatal(err)
	}
	dir := b.removeDir
	if err := b.Put(ctx, "a", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary bolt directory %s still there after Close: %v", dir, err)
	}
}

// TestNamedStoresPersist reopens a file and a bolt store at the same place.
func TestNamedStoresPersist(t *testing.T) {
	ctx := context.Background()
	for _, spec := range []string{"file:dir=" + t.TempDir(), "bolt:path=" + filepath.Join(t.TempDir(), "db")} {
		for i, want := range []string{"", "persisted"} {
			s, err := Open(spec)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if err := s.Put(ctx, "a/b", []byte("persisted")); err != nil {
					t.Fatal(err)
				}
			} else if got, err := s.Get(ctx, "a/b"); err != nil || string(got) != want {
				t.Fatalf("%s reopened: Get = %q, %v", spec, got, err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestEscapeKeyKeepsPlainBytes: letters, digits, '-' and '_' stay as they
// are, so file names read like their keys; their neighbours are escaped.
func TestEscapeKeyKeepsPlainBytes(t *testing.T) {
	for key, want := range map[string]string{
		"azAZ09-_":     "kazAZ09-_",
		"`{@[/:":       "k%60%7B%40%5B%2F%3A",
		"ctx.1 zz":     "kctx%2E1%20zz",
		"\x00\x7f\xff": "k%00%7F%FF",
	} {
		if got := escapeKey(key); got != want {
			t.Errorf("escapeKey(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestFileLeavesNoDescriptorOpen: writes and deletes with fsync open the
// directory to sync it, and must close it.
func TestFileLeavesNoDescriptorOpen(t *testing.T) {
	open := func() int {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd to count descriptors")
		}
		return len(fds)
	}
	f, err := NewFile(FileConfig{Dir: t.TempDir(), Fsync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	f.Put(ctx, "warm-up", nil) // the runtime may open what it needs once
	before := open()
	for i := range 10 {
		key := string(rune('a' + i))
		if err := f.Put(ctx, key, []byte("v")); err != nil {
			t.Fatal(err)
		}
		if err := f.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	if after := open(); after != before {
		t.Errorf("%d descriptors open after 10 puts and deletes, %d before", after, before)
	}
}
