// Package kvtarget registers the kv cache (lockbench/impl/kv) as the
// lockbench target "kv": its operations, its strategies, a preload, a
// history recorder and the consistency check of lockbench/impl/kv/kvcheck.
// Import it for its side effect:
//
//	import _ "lockbench/impl/kv/kvtarget"
package kvtarget

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"lockbench/impl/kv"
	"lockbench/impl/kv/kvcheck"
	"lockbench/results"
	"lockbench/target"
)

// Name is the target's name, what a workload's "target:" says.
const Name = "kv"

func init() { target.MustRegister(Target()) }

// Target returns the kv target: Ops(i) is kv.Ops()[i], so a target.Op is a
// kv.Op minus one.
func Target() target.Target {
	var ops []target.OpSpec
	for _, in := range kv.Ops() {
		ops = append(ops, target.OpSpec{Name: in.Name, Keyed: in.Keyed, Writes: in.Writes,
			Creates: in.Op == kv.Put || in.Op == kv.PutIfAbsent})
	}
	var strategies []target.Strategy
	for _, s := range kv.Strategies() {
		strategies = append(strategies, target.Strategy{Name: s.Name, Description: s.Description, New: newSystem(s)})
	}
	return target.Target{
		Name:        Name,
		Description: "a concurrent key/value cache with write-through to the store",
		Ops:         ops,
		Strategies:  target.List(strategies...),
		ErrorKind:   kv.ErrorKind,
		Consistency: "porcupine key/value model per key; duplicate inserts/deletes; memory = store and no lost acknowledged write at quiescence",
	}
}

// Config is what the kv target reads from Deps.Config when it is one; any
// other value (the workload's context-system config) means the defaults.
type Config struct {
	kv.Config
	// ScanLength is the number of keys kv.scan reads; 0 means
	// kv.DefaultScanLength.
	ScanLength int
	// HistoryCap bounds the operations recorded per run; 0 means
	// DefaultHistoryCap.
	HistoryCap int
}

// DefaultHistoryCap bounds a run's recorded operations (about 100 bytes
// each, plus a scan's entries).
const DefaultHistoryCap = 2_000_000

func configOf(c any) Config {
	var cfg Config
	switch v := c.(type) {
	case Config:
		cfg = v
	case *Config:
		if v != nil {
			cfg = *v
		}
	}
	if cfg.ScanLength <= 0 {
		cfg.ScanLength = kv.DefaultScanLength
	}
	if cfg.HistoryCap <= 0 {
		cfg.HistoryCap = DefaultHistoryCap
	}
	cfg.Config = cfg.Config.WithDefaults()
	return cfg
}

// system is one cache and what its check needs.
type system struct {
	cache   kv.Cache
	cfg     Config
	history bool
	preload map[string]string
	// clients are every client made, each with the operations it kept;
	// a worker asking twice gets a second one, and both histories count.
	mu      sync.Mutex
	clients []*client
	// recorded counts the operations kept, against cfg.HistoryCap;
	// dropped is set once one was not.
	recorded atomic.Int64
	dropped  atomic.Bool
}

var (
	_ target.System    = (*system)(nil)
	_ target.Preloader = (*system)(nil)
	_ target.Checker   = (*system)(nil)
	_ target.Observer  = (*client)(nil)
)

func newSystem(s kv.Strategy) func(target.Deps) (target.System, error) {
	return func(d target.Deps) (target.System, error) {
		cfg := configOf(d.Config)
		c, err := s.New(kv.Deps{Store: d.Store, Locks: d.Locks, Config: cfg.Config})
		if err != nil {
			return nil, err
		}
		return &system{cache: c, cfg: cfg, history: d.History}, nil
	}
}

// Preload implements target.Preloader: every key gets a value of its own.
func (s *system) Preload(ctx context.Context, keys []string, _ []target.Op) error {
	s.preload = make(map[string]string, len(keys))
	for _, k := range keys {
		v := "p-" + k
		if err := s.cache.Put(ctx, k, v); err != nil {
			return fmt.Errorf("kvtarget: preload %q: %w", k, err)
		}
		s.preload[k] = v
	}
	return nil
}

// Client implements target.System.
func (s *system) Client(w int) target.Client {
	s.mu.Lock()
	c := &client{sys: s, id: w, tag: len(s.clients)}
	s.clients = append(s.clients, c)
	s.mu.Unlock()
	return c
}

// client is one worker's handle. It records its own operations (no lock
// shared between workers): writes always — the checks at quiescence and
// the duplicate counts need them — reads too with Deps.History.
type client struct {
	sys     *system
	id      int // the worker
	tag     int // this client among the system's: unique, where id may repeat
	seq     int64
	pending kv.Record
	kept    []kv.Record
}

// Do implements target.Client. Written values are unique per run
// ("w<client>-<seq>"), so the checker can tell every write apart.
func (c *client) Do(ctx context.Context, op target.Op, key string) error {
	c.pending = kv.Record{Op: kv.Op(op) + 1, Key: key, Client: c.id}
	switch c.pending.Op {
	case kv.Put, kv.PutIfAbsent:
		c.seq++
		c.pending.Value = fmt.Sprintf("w%d-%d", c.tag, c.seq)
	case kv.Scan:
		c.pending.N = c.sys.cfg.ScanLength
	}
	return kv.Apply(ctx, c.sys.cache, &c.pending)
}

// Observe implements target.Observer: it stamps the operation Do just ran
// and keeps it if it is to be kept.
func (c *client) Observe(call, ret int64, _ error) {
	r := c.pending
	c.pending = kv.Record{}
	r.Call, r.Return = call, ret
	write := r.Op == kv.Put || r.Op == kv.PutIfAbsent || r.Op == kv.Delete
	if !c.sys.history && !write {
		return
	}
	// Writes with an unknown outcome are kept beyond the cap: they are
	// few, and they explain divergences at quiescence.
	if c.sys.recorded.Add(1) > int64(c.sys.cfg.HistoryCap) && r.Err == "" {
		c.sys.dropped.Store(true)
		return
	}
	c.kept = append(c.kept, r)
}

// Check implements target.Checker.
func (s *system) Check(ctx context.Context, in target.CheckInput) results.Consistency {
	var hist []kv.Record
	s.mu.Lock()
	for _, c := range s.clients {
		hist = append(hist, c.kept...)
	}
	s.mu.Unlock()
	out := results.Consistency{Checked: true, Anomalies: map[string]int64{}, Linearizable: kvcheck.Skipped}
	stored, err := kv.ReadStore(ctx, in.Store)
	if err != nil {
		out.Checked = false
		out.Notes = append(out.Notes, fmt.Sprintf("could not read the store: %v", err))
		return out
	}
	input := kvcheck.Input{
		History:         hist,
		Writes:          !s.dropped.Load(),
		Complete:        s.history && !s.dropped.Load(),
		Preload:         s.preload,
		Memory:          s.cache.Contents(),
		Store:           stored,
		Linearizability: s.history,
	}
	if in.OutDir != "" {
		input.VisualizePath = func(key string) string {
			return filepath.Join(in.OutDir, in.RunName+"-lin-"+safeName(key)+".html")
		}
	}
	res, err := kvcheck.Check(input)
	if err != nil {
		out.Notes = append(out.Notes, err.Error())
	}
	for k, n := range res.Anomalies {
		out.Anomalies[k] = int64(n)
	}
	out.Linearizable = res.Linearizable
	out.Notes = append(out.Notes, res.Notes...)
	if res.Visualization != "" {
		out.Visualization = filepath.Base(res.Visualization)
	}
	if s.dropped.Load() {
		out.Notes = append(out.Notes, fmt.Sprintf("history cap of %d operations reached", s.cfg.HistoryCap))
	}
	return out
}

// safeName keeps a key usable in a file name.
func safeName(key string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return r
		}
		return '_'
	}, key)
}
