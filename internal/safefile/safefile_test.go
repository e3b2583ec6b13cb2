package safefile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"lockbench/internal/safefile"
)

func TestWriteFileReplacesRegularFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out.txt")
	if err := safefile.WriteFile(dest, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := safefile.WriteFile(dest, []byte("two")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dest)
	if err != nil || string(got) != "two" {
		t.Fatalf("got %q, %v; want \"two\"", got, err)
	}
	info, _ := os.Stat(dest)
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	assertNoTemp(t, dir)
}

func TestSymlinkIsNeverFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "run.cpu.pprof")
	if err := os.Symlink(victim, dest); err != nil {
		t.Fatal(err)
	}
	err := safefile.WriteFile(dest, []byte("profile"))
	if !errors.Is(err, safefile.ErrUnsafeDestination) {
		t.Fatalf("err = %v, want ErrUnsafeDestination", err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious" {
		t.Fatalf("victim overwritten: %q", got)
	}
	assertNoTemp(t, dir)
}

func TestSymlinkPlantedAfterCreateIsRefusedAtCommit(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	dest := filepath.Join(dir, "trace.out")
	f, err := safefile.Create(dest)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("data"))
	if err := os.Symlink(victim, dest); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); !errors.Is(err, safefile.ErrUnsafeDestination) {
		t.Fatalf("Commit err = %v, want ErrUnsafeDestination", err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious" {
		t.Fatalf("victim overwritten: %q", got)
	}
	assertNoTemp(t, dir)
}

func TestDirectoryDestinationRefused(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "results.json")
	os.Mkdir(dest, 0o755)
	if err := safefile.WriteFile(dest, []byte("x")); !errors.Is(err, safefile.ErrUnsafeDestination) {
		t.Fatalf("err = %v, want ErrUnsafeDestination", err)
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "x")
	f, err := safefile.Create(dest)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	f.Abort()
	f.Abort() // idempotent
	if _, err := os.Lstat(dest); !os.IsNotExist(err) {
		t.Fatalf("destination exists after Abort: %v", err)
	}
	assertNoTemp(t, dir)
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if len(matches) > 0 {
		t.Fatalf("temporary files left: %v", matches)
	}
}
