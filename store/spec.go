package store

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Spec is a parsed store spec string: a kind and that kind's options.
// ParseSpec fills in defaults, so a Spec always holds the values the store
// will use; String renders it back in canonical form.
type Spec struct {
	Kind string     // "memory", "sim", "file" or "bolt"
	Sim  SimConfig  // options of kind sim
	File FileConfig // options of kind file
	Bolt BoltConfig // options of kind bolt
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

// FileConfig configures the file store.
type FileConfig struct {
	// Dir holds one file per key. Empty means a fresh temporary directory,
	// removed by Close.
	Dir string
	// Fsync makes every write durable before it returns: the temporary
	// file is synced before the rename and the directory after it.
	// ParseSpec sets true when the spec does not say fsync=false.
	Fsync bool
}

// BoltConfig configures the bolt store.
type BoltConfig struct {
	// Path is the database file. Empty means a fresh temporary file,
	// removed by Close.
	Path string
}

// Limits beyond which a spec value is taken for a mistake.
const (
	maxDuration = time.Minute
	maxPool     = 1_000_000
)

// KindInfo describes a store kind for listings (bench list).
type KindInfo struct {
	Name        string
	Description string
	Options     []OptionInfo
}

// OptionInfo describes one option of a store kind.
type OptionInfo struct {
	Name        string // key in the spec, e.g. "latency"
	Syntax      string // value syntax, e.g. "DURATION"
	Default     string // value when absent
	Description string
}

var kinds = []KindInfo{
	{Name: "memory", Description: "in-memory map; no latency, no failures"},
	{
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
	{
		Name:        "file",
		Description: "one file per key, written atomically (temp file, fsync, rename)",
		Options: []OptionInfo{
			{"dir", "PATH", "fresh temp dir, removed on close", "directory of the files"},
			{"fsync", "true|false", "true", "sync file and directory on every write"},
		},
	},
	{
		Name:        "bolt",
		Description: "go.etcd.io/bbolt embedded database, one bucket, a single writer",
		Options: []OptionInfo{
			{"path", "PATH", "fresh temp file, removed on close", "database file"},
		},
	},
}

// Kinds describes the store kinds Open accepts, in a stable order.
func Kinds() []KindInfo {
	out := make([]KindInfo, len(kinds))
	for i, k := range kinds {
		out[i] = k
		out[i].Options = append([]OptionInfo(nil), k.Options...)
	}
	return out
}

func kindNames() string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// ParseSpec parses a spec string "KIND" or "KIND:key=value,key=value".
// Errors wrap ErrSpec and name the spec and the culprit.
func ParseSpec(spec string) (Spec, error) {
	s, err := parseSpec(spec)
	if err != nil {
		return Spec{}, fmt.Errorf("%w %q: %s", ErrSpec, spec, err.Error())
	}
	return s, nil
}

// specError is a message without the spec; ParseSpec adds it.
type specError string

func (e specError) Error() string { return string(e) }

func badf(format string, args ...any) error { return specError(fmt.Sprintf(format, args...)) }

func parseSpec(spec string) (Spec, error) {
	kind, rest, hasOptions := strings.Cut(strings.TrimSpace(spec), ":")
	kind = strings.TrimSpace(kind)
	var s Spec
	switch kind {
	case "memory", "sim", "file", "bolt":
		s.Kind = kind
	case "":
		return Spec{}, badf("no store kind (want one of %s)", kindNames())
	default:
		return Spec{}, badf("unknown store kind %q (want one of %s)", kind, kindNames())
	}
	opts := map[string]string{}
	var order []string
	if hasOptions && strings.TrimSpace(rest) != "" {
		for _, item := range strings.Split(rest, ",") {
			key, value, ok := strings.Cut(item, "=")
			key, value = strings.TrimSpace(key), strings.TrimSpace(value)
			switch {
			case strings.TrimSpace(item) == "":
				return Spec{}, badf("empty option")
			case !ok || key == "":
				return Spec{}, badf("option %q is not key=value", strings.TrimSpace(item))
			}
			if _, dup := opts[key]; dup {
				return Spec{}, badf("duplicate option %s", key)
			}
			opts[key] = value
			order = append(order, key)
		}
	}
	var err error
	switch s.Kind {
	case "memory":
		if len(order) > 0 {
			return Spec{}, badf("unknown option %s (memory takes none)", order[0])
		}
	case "sim":
		s.Sim, err = parseSim(opts, order)
	case "file":
		s.File, err = parseFile(opts, order)
	case "bolt":
		s.Bolt, err = parseBolt(opts, order)
	}
	if err != nil {
		return Spec{}, err
	}
	return s, nil
}

// checkKeys rejects keys outside allowed, naming the first in spec order.
func checkKeys(kind string, order []string, allowed ...string) error {
	for _, k := range order {
		known := false
		for _, a := range allowed {
			known = known || k == a
		}
		if !known {
			return badf("unknown option %s for %s (want %s)", k, kind, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func parseSim(opts map[string]string, order []string) (SimConfig, error) {
	c := SimConfig{Dist: DistFixed}
	if err := checkKeys("sim", order, "latency", "dist", "jitter", "errors", "spike", "pool", "seed"); err != nil {
		return c, err
	}
	var err error
	if v, ok := opts["latency"]; ok {
		if c.Latency, err = parseDuration("latency", v); err != nil {
			return c, err
		}
	}
	if v, ok := opts["dist"]; ok {
		switch d := Dist(v); d {
		case DistFixed, DistUniform, DistExp, DistLognormal:
			c.Dist = d
		default:
			return c, badf("dist %q is not fixed, uniform, exp or lognormal", v)
		}
	}
	if v, ok := opts["jitter"]; ok {
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
	if v, ok := opts["errors"]; ok {
		if c.ErrorRate, err = parseProbability("errors", v); err != nil {
			return c, err
		}
	}
	if v, ok := opts["spike"]; ok {
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
	if v, ok := opts["pool"]; ok {
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
	if v, ok := opts["seed"]; ok {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return c, badf("seed %q is not a non-negative integer", v)
		}
		c.Seed = n
	}
	return c, nil
}

func parseFile(opts map[string]string, order []string) (FileConfig, error) {
	c := FileConfig{Fsync: true}
	if err := checkKeys("file", order, "dir", "fsync"); err != nil {
		return c, err
	}
	if v, ok := opts["dir"]; ok {
		if v == "" {
			return c, badf("dir must not be empty (omit it for a temporary directory)")
		}
		c.Dir = v
	}
	if v, ok := opts["fsync"]; ok {
		switch v {
		case "true":
			c.Fsync = true
		case "false":
			c.Fsync = false
		default:
			return c, badf("fsync %q is not true or false", v)
		}
	}
	return c, nil
}

func parseBolt(opts map[string]string, order []string) (BoltConfig, error) {
	var c BoltConfig
	if err := checkKeys("bolt", order, "path"); err != nil {
		return c, err
	}
	if v, ok := opts["path"]; ok {
		if v == "" {
			return c, badf("path must not be empty (omit it for a temporary file)")
		}
		c.Path = v
	}
	return c, nil
}

func parseDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return 0, badf("%s %q is not a duration (e.g. 200us, 1ms)", name, v)
	case d < 0:
		return 0, badf("%s must be >= 0", name)
	case d > maxDuration:
		return 0, badf("%s %v exceeds %v", name, d, maxDuration)
	}
	return d, nil
}

func parseProbability(name, v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil || math.IsNaN(p):
		return 0, badf("%s %q is not a number", name, v)
	case p < 0 || p > 1:
		return 0, badf("%s %v is outside [0, 1]", name, p)
	}
	return p, nil
}

// String renders the spec in canonical form: options in a fixed order,
// defaults omitted, durations and numbers in Go's shortest form, so that
// ParseSpec(s.String()) returns s for any s that ParseSpec returned.
func (s Spec) String() string {
	var opts []string
	add := func(key, value string) { opts = append(opts, key+"="+value) }
	switch s.Kind {
	case "sim":
		c := s.Sim
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
	case "file":
		if s.File.Dir != "" {
			add("dir", s.File.Dir)
		}
		if !s.File.Fsync {
			add("fsync", "false")
		}
	case "bolt":
		if s.Bolt.Path != "" {
			add("path", s.Bolt.Path)
		}
	}
	if len(opts) == 0 {
		return s.Kind
	}
	return s.Kind + ":" + strings.Join(opts, ",")
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
