package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lockbench/timing"
)

// Sim is the simulated store: an in-memory map whose every call first waits
// an injected delay (drawn from SimConfig's distribution, plus an optional
// spike), queueing for a pool slot when the pool is full, and then fails
// with ErrInjected at the configured rate. Delays use timing.Delay, whose
// median is the requested delay to within a percent where time.Sleep is
// late by tens of microseconds or rounds to a millisecond. The realised
// latency is measured by the Instrumented wrapper, as for every store;
// Stats reports what only the sim store knows: the failures it injected
// and its configured mean latency.
//
// A call whose context ends while it queues or waits returns the context's
// error (within timing.CancelLatency) and changes nothing. A call drawn to
// fail waits its delay first, as a real store's failure takes time.
type Sim struct {
	// data maps keys to values. A sync.Map rather than Memory's
	// RWMutex: a thousand callers reading one key would all write the
	// RWMutex's reader count; sync.Map reads write nothing shared.
	data  sync.Map // string → []byte, never mutated once stored
	cfg   SimConfig
	delay func(u *draws) time.Duration // nil: no base delay
	pool  chan struct{}                // nil: no limit
	// random: some draw is needed per call (a distribution other than
	// fixed, failures or spikes); only then is calls counted, since it
	// is a contended counter.
	random bool

	calls    paddedInt64 // calls ever made, when random: indexes the seeded draws
	injected paddedInt64
	bypass   atomic.Bool // see SetInjection
}

var (
	_ Store         = (*Sim)(nil)
	_ StatsReporter = (*Sim)(nil)
	_ StatsResetter = (*Sim)(nil)
)

// NewSim returns an empty sim store. The config is validated as ParseSpec
// would; errors wrap ErrSpec.
func NewSim(cfg SimConfig) (*Sim, error) {
	if cfg.Dist == "" {
		cfg.Dist = DistFixed
	}
	if _, err := ParseSpec(Spec{Config: cfg}.String()); err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, delay: delayFunc(cfg)}
	s.random = cfg.ErrorRate > 0 || cfg.SpikeProbability > 0 || cfg.Latency > 0 && cfg.Dist != DistFixed
	if cfg.Pool > 0 {
		s.pool = make(chan struct{}, cfg.Pool)
	}
	return s, nil
}

// delayFunc returns the draw of the base delay, nil when it is always zero.
// Draws are capped at maxDuration, a minute: the tails of exp and lognormal
// are unbounded.
func delayFunc(c SimConfig) func(u *draws) time.Duration {
	mean := float64(c.Latency)
	switch {
	case c.Latency == 0:
		return nil
	case c.Dist == DistUniform:
		half := float64(c.Jitter)
		if c.Jitter == 0 {
			half = mean
		}
		return func(u *draws) time.Duration { return time.Duration(mean + half*(2*u.float()-1)) }
	case c.Dist == DistExp:
		return func(u *draws) time.Duration {
			return time.Duration(min(-mean*math.Log(1-u.float()), float64(maxDuration)))
		}
	case c.Dist == DistLognormal:
		stddev := float64(c.Jitter)
		if c.Jitter == 0 {
			stddev = mean / 2
		}
		// The lognormal with mean m and standard deviation s has
		// sigma² = ln(1 + s²/m²) and mu = ln(m) - sigma²/2.
		sigma2 := math.Log1p(stddev * stddev / (mean * mean))
		mu, sigma := math.Log(mean)-sigma2/2, math.Sqrt(sigma2)
		return func(u *draws) time.Duration {
			d := math.Exp(mu + sigma*u.normal())
			return time.Duration(min(d, float64(maxDuration)))
		}
	default:
		return func(*draws) time.Duration { return c.Latency }
	}
}

// Config returns the store's configuration.
func (s *Sim) Config() SimConfig { return s.cfg }

// call runs op after the injected delay, unless the call is drawn to fail:
// a failed call never runs op, so a failed write changes nothing.
func (s *Sim) call(ctx context.Context, opName, key string, op func() error) error {
	if s.bypass.Load() {
		return op() // set-up or inspection: no delay, no failure
	}
	if s.pool != nil {
		if err := s.acquire(ctx); err != nil {
			return err
		}
		defer func() { <-s.pool }()
	}

	d, fail := s.cfg.Latency, false
	if s.random {
		u := newDraws(s.cfg.Seed, uint64(s.calls.Add(1)))
		if s.delay != nil {
			d = s.delay(&u)
		}
		if s.cfg.SpikeProbability > 0 && u.float() < s.cfg.SpikeProbability {
			d += s.cfg.SpikeDelay
		}
		fail = s.cfg.ErrorRate > 0 && u.float() < s.cfg.ErrorRate
	}
	if d > 0 {
		if err := timing.Delay(ctx, d); err != nil {
			return err
		}
	}
	if fail {
		s.injected.Add(1)
		return fmt.Errorf("%w: %s %q", ErrInjected, opName, key)
	}
	return op()
}

func (s *Sim) acquire(ctx context.Context) error {
	select {
	case s.pool <- struct{}{}:
		return nil
	default:
	}
	select {
	case s.pool <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Put implements Store.
func (s *Sim) Put(ctx context.Context, key string, value []byte) error {
	return s.call(ctx, "put", key, func() error {
		s.data.Store(key, append([]byte{}, value...))
		return nil
	})
}

// Get implements Store.
func (s *Sim) Get(ctx context.Context, key string) (v []byte, err error) {
	err = s.call(ctx, "get", key, func() error {
		stored, ok := s.data.Load(key)
		if !ok {
			return fmt.Errorf("%w: %q", ErrNotFound, key)
		}
		v = append([]byte{}, stored.([]byte)...)
		return nil
	})
	return v, err
}

// Delete implements Store.
func (s *Sim) Delete(ctx context.Context, key string) error {
	return s.call(ctx, "delete", key, func() error {
		s.data.Delete(key)
		return nil
	})
}

// List implements Store.
func (s *Sim) List(ctx context.Context, prefix string) (keys []string, err error) {
	err = s.call(ctx, "list", prefix, func() error {
		keys = []string{}
		s.data.Range(func(k, _ any) bool {
			if key := k.(string); strings.HasPrefix(key, prefix) {
				keys = append(keys, key)
			}
			return true
		})
		slices.Sort(keys)
		return nil
	})
	return keys, err
}

// Close implements Store.
func (s *Sim) Close() error { return nil }

// Stats implements StatsReporter: the failures injected, and the
// configured mean latency. Calls, in-flight peak and realised latency are
// measured by the Instrumented wrapper.
func (s *Sim) Stats() Stats {
	return Stats{ErrorsInjected: s.injected.Load(), ConfiguredLatencyNs: int64(s.cfg.MeanLatency())}
}

// ResetStats implements StatsResetter: the runner zeroes the figures after
// warm-up. The call counter that indexes the seeded draws is not reset, so
// draws never repeat within one store.
func (s *Sim) ResetStats() { s.injected.Store(0) }
