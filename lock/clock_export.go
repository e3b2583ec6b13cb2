package lock

// Ticks reads the lock clock (RDTSC where the kernel trusts the TSC, else
// the monotonic clock in nanoseconds) for callers that time something as
// often as the locks do: the runner times every operation with it, at a
// fraction of time.Now's cost.
func Ticks() int64 { return ticks() }

// NsPerTick is the lock clock's rate: nanoseconds per tick (1 when the clock
// is the monotonic clock). The rate is calibrated against the monotonic
// clock over the process's first 100 ms; asked earlier, it is measured over
// the time since the package was loaded.
func NsPerTick() float64 { return float64(rate()) }
