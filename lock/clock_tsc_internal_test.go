//go:build amd64 && linux && !lock_nanotime

package lock

import (
	"os"
	"strings"
	"testing"
)

// TestUsesTSCWhenKernelDoes: the lock clock is the TSC exactly when the
// kernel times its monotonic clock with it.
func TestUsesTSCWhenKernelDoes(t *testing.T) {
	b, err := os.ReadFile("/sys/devices/system/clocksource/clocksource0/current_clocksource")
	kernel := strings.TrimSpace(string(b))
	if want := err == nil && kernel == "tsc"; useTSC != want {
		t.Errorf("clock %s, but the kernel's clocksource is %q (%v)", ClockSource(), kernel, err)
	}
}
