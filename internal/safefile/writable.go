package safefile

import (
	"os"
)

// CheckWritable reports whether a file can be created in dir, by creating
// one. Where the system can (Linux, O_TMPFILE), the probe file has no name:
// it never appears in dir, and a process killed while probing (SIGKILL)
// leaves nothing behind. Elsewhere, or on a file system without unnamed
// files, it is a ".lockbench-probe-*" file removed at once. The error is
// the *os.PathError of the failed creation.
func CheckWritable(dir string) error {
	if f, err := openUnnamed(dir); err == nil {
		return f.Close()
	} else if !unnamedUnsupported(err) {
		return err
	}
	probe, err := os.CreateTemp(dir, ".lockbench-probe-*")
	if err != nil {
		return err
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}
