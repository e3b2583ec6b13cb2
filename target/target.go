package target

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
)

// Target is a system under test.
type Target struct {
	// Name is what a workload's "target:" field and the CLI call it.
	Name        string
	Description string
	// Ops are the target's operations; Op(i) is Ops[i].
	Ops []OpSpec
	// Strategies returns the target's strategies in the order they are
	// shown and run. A function, so a target may keep a registry of its
	// own that grows after registration (the context target reads package
	// lockbench/impl, where impl.MustRegister adds strategies); List makes
	// one from a fixed list.
	Strategies func() []Strategy
	// ErrorKind names the class of a failed operation's error, the key of
	// results' "errors" map. nil means DefaultErrorKind.
	ErrorKind func(error) string
	// Answers are the error kinds that answer a request rather than fail
	// it: the system served the operation and said no (not found, already
	// exists, over the limit). They are counted by kind like any error but
	// are goodput; every other kind is a failed operation, out of
	// throughput and into the error rate.
	Answers []string
	// Consistency says in one line what the target's Checker checks, for
	// `bench list`; "" when its systems have no Checker.
	Consistency string
}

// Strategy is one way of locking a target: a named constructor.
type Strategy struct {
	Name        string
	Description string
	// New builds a fresh system. It is called once per run.
	New func(Deps) (System, error)
}

// List returns a Strategies function over a fixed list.
func List(strategies ...Strategy) func() []Strategy {
	return func() []Strategy { return append([]Strategy(nil), strategies...) }
}

// Deps is what a strategy builds a system from.
type Deps struct {
	// Store is the persistence layer, already wrapped by the runner so that
	// store I/O made with the worker's ctx is traced (held-I/O time).
	Store store.Store
	// Locks names and instruments the system's locks: take every lock
	// from it (Locks.Mutex("cache.map"), Locks.RWMutex(…)). Names are
	// "component.field"; locks sharing a name are reported as one.
	Locks *lock.Set
	// Config is the workload's configuration block as the target reads it;
	// the context target gets a ctxsys.Config. Other targets may ignore it.
	Config any
	// Clients is the number of workers; Client is called for 0 …
	// Clients-1.
	Clients int
	// SharedClient: the workload asks every worker to share one client
	// state (the context target's "trackers: shared") rather than one
	// each. Targets without per-client state ignore it.
	SharedClient bool
	// History asks the system to record every operation for a
	// linearizability check (bench run --history). Recording the facts
	// its quiescence checks need is the system's own business.
	History bool
	// Now is the run's clock, nanoseconds since the run's epoch: the clock
	// of Observer's times. Use it for operations the system records itself
	// (a preload). It is safe for concurrent use.
	Now func() int64
}

// System is one freshly built system under test.
type System interface {
	// Client returns worker w's handle; it is called once per worker,
	// before the run, after Preload.
	Client(w int) Client
}

// Client issues one worker's operations. Do is only called from that
// worker's goroutine, one operation at a time, but the system's clients run
// concurrently.
type Client interface {
	// Do executes op on key (empty for unkeyed operations). ctx carries the
	// worker's lock trace: pass it to every lock and store call. An error
	// is a failed operation, counted by Target.ErrorKind.
	Do(ctx context.Context, op Op, key string) error
}

// Preloader is the optional capability of a System to create the workload's
// preloaded keys before warm-up. mix holds the operations the workload
// issues (some targets create through the component the mix uses). The
// store's injected latency and failures are off during the preload.
type Preloader interface {
	Preload(ctx context.Context, keys []string, mix []Op) error
}

// Observer is the optional capability of a Client to be told, after each
// Do, when the operation was called and when it returned on the run's clock
// (Deps.Now), and its error: what a history for a consistency check needs,
// without a second pair of clock reads per operation.
type Observer interface {
	Observe(call, ret int64, err error)
}

// Checker is the optional capability of a System to check its consistency
// once the run is quiescent: every Do has returned.
type Checker interface {
	Check(ctx context.Context, in CheckInput) results.Consistency
}

// CheckInput is what a Checker may read.
type CheckInput struct {
	// Store is the run's store, read directly: not traced, injected
	// latency and failures off.
	Store store.Store
	// OutDir receives files the check writes (a porcupine visualisation);
	// "" writes none. RunName is the stem for their names.
	OutDir, RunName string
}

// ErrorKindOf names err's class with t.ErrorKind, or DefaultErrorKind.
func (t *Target) ErrorKindOf(err error) string {
	if t.ErrorKind != nil {
		return t.ErrorKind(err)
	}
	return DefaultErrorKind(err)
}

// IsAnswer reports whether errors of kind answer a request (see Answers)
// rather than fail it.
func (t *Target) IsAnswer(kind string) bool {
	for _, a := range t.Answers {
		if a == kind {
			return true
		}
	}
	return false
}

// DefaultErrorKind names a cancelled operation "canceled" and any other
// failure "error".
func DefaultErrorKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	}
	return "error"
}

// StrategyNames returns the names of t's strategies in their order.
func (t *Target) StrategyNames() []string {
	var names []string
	for _, s := range t.Strategies() {
		names = append(names, s.Name)
	}
	return names
}

// Strategy returns t's strategy called name; the error matches ErrUnknown
// and lists the strategies t has.
func (t *Target) Strategy(name string) (Strategy, error) {
	all := t.Strategies()
	for _, s := range all {
		if s.Name == name {
			return s, nil
		}
	}
	return Strategy{}, fmt.Errorf("%w strategy %q for target %q (it has: %s)", ErrUnknown, name, t.Name, strings.Join(t.StrategyNames(), ", "))
}

// validate checks what Register promises.
func (t *Target) validate() error {
	if t.Name == "" {
		return errors.New("target: Register needs a name")
	}
	if t.Strategies == nil {
		return fmt.Errorf("target: %q has no Strategies function", t.Name)
	}
	if len(t.Ops) == 0 {
		return fmt.Errorf("target: %q has no operations", t.Name)
	}
	if len(t.Ops) > 1<<16-1 {
		return fmt.Errorf("target: %q has more operations than an Op can index", t.Name)
	}
	seen := map[string]bool{}
	for _, s := range t.Ops {
		if i := strings.IndexByte(s.Name, '.'); i <= 0 || i == len(s.Name)-1 {
			return fmt.Errorf("target: %q: operation %q is not a qualified name (component.method)", t.Name, s.Name)
		}
		if seen[s.Name] {
			return fmt.Errorf("target: %q: operation %q declared twice", t.Name, s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}

// ClientFunc is a Client that is a function.
type ClientFunc func(ctx context.Context, op Op, key string) error

// Do calls f.
func (f ClientFunc) Do(ctx context.Context, op Op, key string) error { return f(ctx, op, key) }

// Shared returns a System whose every client is do: for a type whose
// workers keep no state of their own (most shared caches, maps, limiters).
func Shared(do ClientFunc) System { return sharedSystem{do} }

type sharedSystem struct{ do ClientFunc }

func (s sharedSystem) Client(int) Client { return s.do }
