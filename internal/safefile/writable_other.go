//go:build !linux

package safefile

import (
	"errors"
	"os"
)

var errNoUnnamed = errors.New("no unnamed files")

// openUnnamed: only Linux has unnamed files (O_TMPFILE).
func openUnnamed(string) (*os.File, error) { return nil, errNoUnnamed }

func unnamedUnsupported(err error) bool { return errors.Is(err, errNoUnnamed) }
