package store

import "math"

// draws is a small deterministic stream of random numbers for one call of
// the sim store: splitmix64 started from (seed, call number). Every call
// gets its own stream without a shared generator (which would need a lock
// or per-goroutine state), and a seed fixes the draws of the n-th call.
type draws struct{ state uint64 }

func newDraws(seed, call uint64) draws {
	// Hashing the call number scatters the streams of consecutive calls
	// over the state space, so they do not overlap.
	return draws{state: mix64(mix64(seed) ^ mix64(call))}
}

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (d *draws) next() uint64 {
	d.state += 0x9e3779b97f4a7c15
	return mix64(d.state)
}

// float returns a uniform number in [0, 1).
func (d *draws) float() float64 { return float64(d.next()>>11) / (1 << 53) }

// normal returns a standard normal number (Box–Muller).
func (d *draws) normal() float64 {
	u1 := 1 - d.float() // (0, 1]: log is finite
	u2 := d.float()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}
