package lock

// SetBeforeWait installs f to run whenever an acquisition is about to block
// after a failed first attempt, and returns a function that removes it. Set
// it before starting the goroutines that lock.
func SetBeforeWait(f func()) (restore func()) {
	beforeWait = f
	return func() { beforeWait = nil }
}
