package safefile

import (
	"os"
	"testing"
)

// TestProbeHasNoName: on Linux the probe file never has a name in the
// directory, so a process killed while it is open leaves nothing there.
// (The test directory is on a file system with O_TMPFILE, as ext4, xfs,
// btrfs and tmpfs are.)
func TestProbeHasNoName(t *testing.T) {
	dir := t.TempDir()
	f, err := openUnnamed(dir)
	if err != nil {
		t.Fatalf("no unnamed file in %s: %v", dir, err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("probe")); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("while the probe is open, %s holds %s", dir, entries[0].Name())
	}
}
