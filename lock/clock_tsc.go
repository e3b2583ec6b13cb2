//go:build amd64 && linux && !lock_nanotime

package lock

import (
	"bytes"
	"os"
)

func rdtsc() int64

// useTSC: the TSC is only as good as the platform's; use it where the
// kernel has chosen it as the clocksource behind the monotonic clock.
var useTSC = kernelUsesTSC()

func kernelUsesTSC() bool {
	b, err := os.ReadFile("/sys/devices/system/clocksource/clocksource0/current_clocksource")
	return err == nil && bytes.Equal(bytes.TrimSpace(b), []byte("tsc"))
}

// tscTicksPerNsGuess is used only if a conversion is asked for before the
// clocks have moved since load.
const tscTicksPerNsGuess = 2.5

// ticks reads the lock clock.
func ticks() int64 {
	if useTSC {
		return rdtsc()
	}
	return nanotime()
}
