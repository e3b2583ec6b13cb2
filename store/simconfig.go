package store

import (
	"strconv"
	"strings"
	"time"
)

// simKind is the table entry of the sim store.
var simKind = kind{
	info: KindInfo{
		Name:        "sim",
		Description: "in-memory map with injected latency, failures, spikes and an in-flight limit",
		Options: []OptionInfo{
			{"latency", "DURATION", "0", "mean delay of every call (0: no delay, no timer)"},
			{"dist", "fixed|uniform|exp|lognormal", "fixed", "distribution of the delay"},
			{"jitter", "DURATION", "latency (uniform), latency/2 (lognormal)", "uniform: half-width; lognormal: standard deviation"},
			{"errors", "PROBABILITY", "0", "fraction of calls failing with store.ErrInjected; a failed write changes nothing"},
			{"spike", "PROBABILITY:DURATION", "0:0", "chance of an extra delay, and its length"},
			{"pool", "N", "0", "at most N calls in flight, others queue (0: no limit)"},
			{"seed", "N", "0", "seed of the per-call draws"},
		},
	},
	parse: parseSim,
}

// Dist is the distribution of the sim store's injected latency.
type Dist string

// The latency distributions. Each has mean Latency (before spikes).
const (
	DistFixed     Dist = "fixed"     // every call waits Latency
	DistUniform   Dist = "uniform"   // uniform in [Latency-Jitter, Latency+Jitter]
	DistExp       Dist = "exp"       // exponential with mean Latency
	DistLognormal Dist = "lognormal" // lognormal with mean Latency and standard deviation Jitter
)

// SimConfig configures the sim store: an in-memory map whose every call
// waits an injected delay and may fail.
type SimConfig struct {
	// Latency is the mean injected delay of every call (Put, Get, Delete
	// and List alike). Zero means no delay and no timer at all.
	Latency time.Duration
	// Dist is the distribution of the delay; ParseSpec sets DistFixed when
	// the spec names none.
	Dist Dist
	// Jitter is the spread of the delay: for DistUniform the half-width
	// (zero means Latency, i.e. uniform in [0, 2×Latency]); for
	// DistLognormal the standard deviation (zero means Latency/2, so
	// sigma = sqrt(ln(1 + (Jitter/Latency)²)) ≈ 0.47). Other distributions
	// take no jitter.
	Jitter time.Duration
	// ErrorRate is the fraction of calls, in [0, 1], that fail with an error
	// matching ErrInjected after their delay. A failed Put or Delete does
	// not change the data.
	ErrorRate float64
	// SpikeProbability is the chance, in [0, 1], that a call waits
	// SpikeDelay on top of its drawn delay.
	SpikeProbability float64
	SpikeDelay       time.Duration
	// Pool limits the calls in flight (a connection pool): others queue,
	// and the queueing time counts in the realised latency. Zero means no
	// limit.
	Pool int
	// Seed makes the draws (delay, spike, failure) of the n-th call a
	// function of (Seed, n) alone: a run with one caller is reproducible.
	Seed uint64
}

// Kind implements Config.
func (SimConfig) Kind() string { return "sim" }

// Open implements Config.
func (c SimConfig) Open() (Store, error) { return NewSim(c) }

// MeanLatency is the mean of the configured delay: Latency (every
// distribution has mean Latency) plus the spikes' share,
// SpikeProbability × SpikeDelay. Queueing for the pool comes on top.
func (c SimConfig) MeanLatency() time.Duration {
	return c.Latency + time.Duration(c.SpikeProbability*float64(c.SpikeDelay))
}

func parseSim(o options) (Config, error) {
	c := SimConfig{Dist: DistFixed}
	if err := o.allow("latency", "dist", "jitter", "errors", "spike", "pool", "seed"); err != nil {
		return c, err
	}
	var err error
	if v, ok := o.lookup("latency"); ok {
		if c.Latency, err = parseDuration("latency", v); err != nil {
			return c, err
		}
	}
	if v, ok := o.lookup("dist"); ok {
		switch d := Dist(v); d {
		case DistFixed, DistUniform, DistExp, DistLognormal:
			c.Dist = d
		default:
			return c, badf("dist %q is not fixed, uniform, exp or lognormal", v)
		}
	}
	if v, ok := o.lookup("jitter"); ok {
		if c.Jitter, err = parseDuration("jitter", v); err != nil {
			return c, err
		}
		switch {
		case c.Dist != DistUniform && c.Dist != DistLognormal:
			return c, badf("jitter applies to dist=uniform or dist=lognormal, not %s", c.Dist)
		case c.Jitter == 0:
			return c, badf("jitter must be > 0 (omit it for the default)")
		case c.Latency == 0:
			return c, badf("jitter needs latency > 0")
		case c.Dist == DistUniform && c.Jitter > c.Latency:
			return c, badf("jitter %v exceeds latency %v (uniform delays would go negative)", c.Jitter, c.Latency)
		}
	}
	if v, ok := o.lookup("errors"); ok {
		if c.ErrorRate, err = parseProbability("errors", v); err != nil {
			return c, err
		}
	}
	if v, ok := o.lookup("spike"); ok {
		p, d, found := strings.Cut(v, ":")
		if !found {
			return c, badf("spike %q is not PROBABILITY:DURATION", v)
		}
		if c.SpikeProbability, err = parseProbability("spike probability", p); err != nil {
			return c, err
		}
		if c.SpikeDelay, err = parseDuration("spike delay", d); err != nil {
			return c, err
		}
	}
	if v, ok := o.lookup("pool"); ok {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return c, badf("pool %q is not an integer", v)
		case n < 0:
			return c, badf("pool must be >= 0")
		case n > maxPool:
			return c, badf("pool %d exceeds %d", n, maxPool)
		}
		c.Pool = n
	}
	if v, ok := o.lookup("seed"); ok {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return c, badf("seed %q is not a non-negative integer", v)
		}
		c.Seed = n
	}
	return c, nil
}

func (c SimConfig) longestCall() time.Duration {
	longest := c.Latency
	switch c.Dist {
	case DistUniform:
		// At most latency+jitter; jitter 0 means latency.
		if c.Jitter == 0 {
			longest += c.Latency
		} else {
			longest += c.Jitter
		}
	case DistExp, DistLognormal:
		// Unbounded tails: 10 means is beyond e^-10 for the exponential.
		longest = 10 * c.Latency
	}
	return longest + c.SpikeDelay
}

func (c SimConfig) options() []string {
	var opts []string
	add := func(key, value string) { opts = append(opts, key+"="+value) }
	if c.Latency != 0 {
		add("latency", c.Latency.String())
	}
	if c.Dist != DistFixed && c.Dist != "" {
		add("dist", string(c.Dist))
	}
	if c.Jitter != 0 {
		add("jitter", c.Jitter.String())
	}
	if c.ErrorRate != 0 {
		add("errors", formatFloat(c.ErrorRate))
	}
	if c.SpikeProbability != 0 || c.SpikeDelay != 0 {
		add("spike", formatFloat(c.SpikeProbability)+":"+c.SpikeDelay.String())
	}
	if c.Pool != 0 {
		add("pool", strconv.Itoa(c.Pool))
	}
	if c.Seed != 0 {
		add("seed", strconv.FormatUint(c.Seed, 10))
	}
	return opts
}
