package safefile

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// openUnnamed opens an unnamed regular file in dir (open(2) with
// O_TMPFILE): the file is freed when closed, or when its process dies.
func openUnnamed(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	return os.NewFile(uintptr(fd), dir), nil
}

// unnamedUnsupported: the file system (or an old kernel) has no unnamed
// files — EOPNOTSUPP, or EISDIR from a kernel that ignores O_TMPFILE's
// extra bit. Any other error, such as EACCES or EROFS, is the answer.
func unnamedUnsupported(err error) bool {
	return errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL)
}
