//go:build linux

package timing

import (
	"math"
	"testing"
)

func TestPreciseOnLinux(t *testing.T) {
	if !Precise() {
		t.Fatal("no timerfd alarm on Linux")
	}
}

// CheckQuiescent is exported to the external tests through export_test.go.
func checkQuiescentAlarm(t *testing.T) {
	t.Helper()
	a := theAlarm()
	a.mu.Lock()
	n := len(a.pending)
	a.mu.Unlock()
	if n != 0 || a.owner.Load() != 0 || a.armed.Load() != math.MaxInt64 {
		t.Fatalf("after all sleepers returned: %d pending, owner %d, armed %d; want 0, 0, none",
			n, a.owner.Load(), a.armed.Load())
	}
}
