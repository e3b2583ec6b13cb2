package workload

import (
	"maps"
	"slices"
	"time"

	"lockbench/ctxsys"
	"lockbench/store"
)

// Spec is one workload: what the workers do, on which keys, at what
// concurrency, for how long, against which store and system configuration.
// It is plain data with the YAML field names below; Parse fills in
// the defaults below and validates it, so a *Spec from this package is
// always complete and valid.
type Spec struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`

	// Target names the system under test (see lockbench/target); "" is
	// target.Default, the context system.
	Target string `yaml:"target"`

	// Mix maps qualified operation names of the target ("manager.update")
	// to relative weights. Weights need not sum to 100; a weight of 0 disables the op.
	Mix map[string]float64 `yaml:"mix"`

	// Keys is the size of the key space: context ids ContextID(0) …
	// ContextID(Keys-1). Preload contexts ContextID(0) … ContextID(Preload-1)
	// are created before warm-up.
	Keys    int `yaml:"keys"`
	Preload int `yaml:"preload"`

	// Distribution picks the key of each keyed operation (see Generator):
	// uniform, zipf (ZipfS), hotspot (HotFraction, HotProbability),
	// sequential or unique.
	Distribution   string  `yaml:"distribution"`
	ZipfS          float64 `yaml:"zipf_s"`
	HotFraction    float64 `yaml:"hot_fraction"`
	HotProbability float64 `yaml:"hot_probability"`

	// Concurrency lists the worker counts of the sweep, one run each (times
	// Count).
	Concurrency []int `yaml:"concurrency"`

	// Duration of the measured phase; Ops, when > 0, ends it after that many
	// operations (in total over all workers). With both set, whichever comes
	// first ends it; Duration 0 means "until Ops are done".
	Duration time.Duration `yaml:"duration"`
	Ops      int64         `yaml:"ops"`
	// Warmup runs the workload unrecorded before the measured phase.
	Warmup time.Duration `yaml:"warmup"`
	// Count is the number of repetitions of each (strategy, concurrency).
	Count int `yaml:"count"`

	// Arrival: closed (each worker issues its next operation when the last
	// returns, plus ThinkTime) or open (operations scheduled at Rate per
	// second in total, gaps drawn from Interarrival: poisson or uniform).
	Arrival      string        `yaml:"arrival"`
	Rate         float64       `yaml:"rate"`
	Interarrival string        `yaml:"interarrival"`
	ThinkTime    time.Duration `yaml:"think_time"`

	// Trackers: per-client (one Tracker per worker) or shared (all workers
	// share one Tracker: many clients on one context).
	Trackers string `yaml:"trackers"`

	// Store is the store every run opens afresh. In YAML it is a store
	// spec string, e.g. "sim:latency=1ms", parsed by store.ParseSpec as
	// the file is decoded; written out, it is the spec's canonical string.
	Store store.Spec `yaml:"store"`

	Config Config `yaml:"config"`

	// Seed makes runs replayable: generators are seeded from it and the
	// worker number.
	Seed int64 `yaml:"seed"`
}

// Config is the system configuration of a workload (the YAML "config"
// block). Unlike ctxsys.Config, zero is not "default" here: Parse fills in
// the defaults of this package and rejects explicit zeros.
type Config struct {
	MaxContexts       int           `yaml:"max_contexts"`
	MaxRecoveryPoints int           `yaml:"max_recovery_points"`
	TTL               time.Duration `yaml:"ttl"`
	AutoRecovery      bool          `yaml:"auto_recovery"`
	SyncInterval      time.Duration `yaml:"sync_interval"`
}

// System returns the configuration to build a context system with.
func (c Config) System() ctxsys.Config {
	return ctxsys.Config{
		MaxContexts:       c.MaxContexts,
		MaxRecoveryPoints: c.MaxRecoveryPoints,
		TTL:               c.TTL,
		AutoRecovery:      c.AutoRecovery,
		SyncInterval:      c.SyncInterval,
	}
}

// Values of the enumerated string fields.
const (
	Uniform    = "uniform"    // distribution: every key equally likely; interarrival: uniform gaps
	Zipf       = "zipf"       // distribution
	Hotspot    = "hotspot"    // distribution
	Sequential = "sequential" // distribution
	Unique     = "unique"     // distribution

	Closed = "closed" // arrival
	Open   = "open"   // arrival

	Poisson = "poisson" // interarrival: exponential gaps

	PerClient = "per-client" // trackers
	Shared    = "shared"     // trackers
)

// Defaults applied by Parse to absent fields.
const (
	DefaultDistribution      = Uniform
	DefaultKeys              = 1
	DefaultDuration          = 2 * time.Second // only when ops is absent too
	DefaultWarmup            = 500 * time.Millisecond
	DefaultCount             = 3
	DefaultArrival           = Closed
	DefaultInterarrival      = Poisson
	DefaultTrackers          = PerClient
	DefaultStore             = "sim:latency=1ms" // a store spec (store.ParseSpec)
	DefaultMaxContexts       = 100_000
	DefaultMaxRecoveryPoints = 10
	DefaultTTL               = time.Hour
	DefaultSyncInterval      = ctxsys.DefaultSyncInterval
	DefaultSeed              = 1
	// Distribution parameters, applied only for their distribution.
	DefaultZipfS          = 1.1
	DefaultHotFraction    = 0.2
	DefaultHotProbability = 0.8
)

// DefaultConcurrency is the sweep of a spec that names none.
func DefaultConcurrency() []int { return []int{1, 4, 16, 64} }

// Limits of validation: values beyond them are bad input, not big
// experiments (a billion workers or a 100-year run is a typo).
const (
	MaxKeys           = 10_000_000
	MaxConcurrency    = 200_000
	MaxSweep          = 64 // entries in concurrency
	MaxDuration       = 24 * time.Hour
	MaxOps            = 10_000_000_000
	MaxCount          = 1000
	MaxRate           = 10_000_000 // ops/s in total
	MinRate           = 0.001      // ops/s: one operation per 1000 s
	MaxThinkTime      = time.Hour
	MaxZipfS          = 10 // beyond, the rank-1 key takes > 99.9% anyway
	MaxMaxContexts    = 100_000_000
	MaxRecoveryPoints = 1_000_000
	MaxNameLength     = 64
	MaxTextLength     = 256 // description (a store spec has store.MaxSpecLength)
)

// defaultStore is DefaultStore parsed, for defaultSpec.
var defaultStore = func() store.Spec {
	s, err := store.ParseSpec(DefaultStore)
	if err != nil {
		panic("workload: DefaultStore: " + err.Error()) // a defect of this package
	}
	return s
}()

// defaultSpec is what Parse decodes a file over: absent fields keep these.
// Duration is filled in later, because its default depends on Ops.
func defaultSpec() *Spec {
	return &Spec{
		Keys:         DefaultKeys,
		Distribution: DefaultDistribution,
		Concurrency:  DefaultConcurrency(),
		Warmup:       DefaultWarmup,
		Count:        DefaultCount,
		Arrival:      DefaultArrival,
		Interarrival: DefaultInterarrival,
		Trackers:     DefaultTrackers,
		Store:        defaultStore,
		Config: Config{
			MaxContexts:       DefaultMaxContexts,
			MaxRecoveryPoints: DefaultMaxRecoveryPoints,
			TTL:               DefaultTTL,
			SyncInterval:      DefaultSyncInterval,
		},
		Seed: DefaultSeed,
	}
}

// applyDistributionDefaults sets the parameters of the chosen distribution
// when absent (zero).
func (s *Spec) applyDistributionDefaults() {
	switch s.Distribution {
	case Zipf:
		if s.ZipfS == 0 {
			s.ZipfS = DefaultZipfS
		}
	case Hotspot:
		if s.HotFraction == 0 {
			s.HotFraction = DefaultHotFraction
		}
		if s.HotProbability == 0 {
			s.HotProbability = DefaultHotProbability
		}
	}
}

// Clone returns a deep copy.
func (s *Spec) Clone() *Spec {
	c := *s
	c.Mix = maps.Clone(s.Mix)
	c.Concurrency = slices.Clone(s.Concurrency)
	return &c
}

// WeightedOp is an operation kind of a mix and its weight.
type WeightedOp struct {
	Op     Op
	Weight float64
}

// OpWeights returns the operation kinds with a positive weight and their
// weights, sorted by kind.
func (s *Spec) OpWeights() []WeightedOp {
	var out []WeightedOp
	for _, op := range s.OpKinds() {
		out = append(out, WeightedOp{Op: op, Weight: s.Weight(op)})
	}
	return out
}

// Weight returns the weight of op in the mix (0 if absent).
func (s *Spec) Weight(op Op) float64 { return s.Mix[s.OpName(op)] }

// Probability returns op's share of the operations, Weight / sum of weights.
func (s *Spec) Probability(op Op) float64 {
	total := 0.0
	for _, w := range s.Mix {
		total += w
	}
	if total <= 0 {
		return 0
	}
	return s.Weight(op) / total
}

// Runs returns the number of runs per strategy: one per concurrency level
// and repetition.
func (s *Spec) Runs() int { return len(s.Concurrency) * s.Count }

// PlannedTime returns warm-up plus measured time of every run of one
// strategy. For an ops-limited spec (Duration 0) only the warm-up is known,
// so it is a lower bound. Set-up, preload and draining come on top.
func (s *Spec) PlannedTime() time.Duration {
	return time.Duration(s.Runs()) * (s.Warmup + s.Duration)
}
