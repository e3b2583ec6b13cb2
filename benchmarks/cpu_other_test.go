//go:build !unix

package benchmarks

import "time"

// processCPU is unknown here: cpu-ns/op is not reported.
func processCPU() (time.Duration, bool) { return 0, false }
