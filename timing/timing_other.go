//go:build !linux

package timing

import "time"

func precise() bool { return false }

func sleep(d time.Duration) { time.Sleep(d) }

func delay(d time.Duration) { delayPlain(d) }
