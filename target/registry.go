package target

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Default is the target of a workload that names none.
const Default = "context"

// ErrUnknown: a target, operation or strategy name nobody registered.
var ErrUnknown = errors.New("target: unknown")

var (
	mu      sync.RWMutex
	targets = map[string]*Target{}
)

// Register adds t. It returns an error, and registers nothing, if the name
// is empty or taken, t has no operations or Strategies function, or an
// operation name is not qualified or appears twice.
func Register(t Target) error {
	if err := t.validate(); err != nil {
		return err
	}
	t.Ops = append([]OpSpec(nil), t.Ops...) // the caller's slice may change
	mu.Lock()
	defer mu.Unlock()
	if _, taken := targets[t.Name]; taken {
		return fmt.Errorf("target: %q registered twice", t.Name)
	}
	targets[t.Name] = &t
	return nil
}

// MustRegister is Register for init functions; it panics on misuse.
func MustRegister(t Target) {
	if err := Register(t); err != nil {
		panic(err)
	}
}

// Unregister removes a target (tests that register their own).
func Unregister(name string) {
	mu.Lock()
	delete(targets, name)
	mu.Unlock()
}

// Lookup returns the target registered under name; "" means Default. The
// error matches ErrUnknown and lists the targets there are.
func Lookup(name string) (*Target, error) {
	if name == "" {
		name = Default
	}
	mu.RLock()
	defer mu.RUnlock()
	t, ok := targets[name]
	if !ok {
		return nil, fmt.Errorf("%w target %q (known: %s)", ErrUnknown, name, strings.Join(namesLocked(), ", "))
	}
	return t, nil
}

// Names returns the registered target names, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	return namesLocked()
}

func namesLocked() []string {
	names := make([]string, 0, len(targets))
	for n := range targets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
