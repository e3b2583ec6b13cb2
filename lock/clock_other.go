//go:build !(amd64 && linux) || lock_nanotime

package lock

const useTSC = false

const tscTicksPerNsGuess = 1

// ticks reads the lock clock: the monotonic clock here.
func ticks() int64 { return nanotime() }
