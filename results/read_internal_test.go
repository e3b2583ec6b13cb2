package results

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// zeros is an endless stream of NUL bytes, like /dev/zero, that counts
// what was read from it.
type zeros struct{ read int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.read += int64(len(p))
	return len(p), nil
}

// endless is a valid-looking prefix followed by an endless JSON string.
type endless struct {
	prefix io.Reader
	read   int64
}

func (e *endless) Read(p []byte) (int, error) {
	n, err := e.prefix.Read(p)
	if n == 0 || err != nil {
		for i := range p {
			p[i] = 'a'
		}
		n = len(p)
	}
	e.read += int64(n)
	return n, nil
}

// TestReadBounded: an endless input is refused, having read little (NUL
// bytes) or at most MaxFileSize (a string that never ends).
func TestReadBounded(t *testing.T) {
	z := &zeros{}
	if _, err := Read(z, "/dev/zero"); !errors.Is(err, ErrSchema) {
		t.Errorf("/dev/zero: %v, want ErrSchema", err)
	}
	if z.read > 1<<20 {
		t.Errorf("read %d bytes of NULs before refusing, want at most a buffer", z.read)
	}
	e := &endless{prefix: strings.NewReader(`{"schema": "`)}
	const limit = 4 << 20 // MaxFileSize itself takes a minute under -race
	_, err := readLimited(e, "big.json", limit)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("endless string: %v, want ErrTooLarge", err)
	}
	if e.read > limit+1<<20 {
		t.Errorf("read %d bytes, want at most the limit (%d) and a buffer", e.read, limit)
	}
}
