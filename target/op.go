package target

import (
	"fmt"
	"strings"
)

// Op is one operation of a target: the index of its OpSpec in Target.Ops.
// An Op means nothing without its target; the runner, the workload
// generator and a target's executors all index tables by it.
type Op uint16

// OpSpec describes an operation.
type OpSpec struct {
	// Name is the qualified name used in workload mixes and results,
	// "component.method" (e.g. "manager.update", "kv.get").
	Name string
	// Keyed: the operation takes a key (the workload's key distribution
	// picks it). Unkeyed operations get the empty key.
	Keyed bool
	// Writes: the operation may change state (memory or store).
	Writes bool
	// Creates: the operation makes its key exist. A workload whose mix
	// creates nothing needs a preload for operations that NeedsExisting.
	Creates bool
	// NeedsExisting: the operation does its real work only on something
	// that exists (its key, or the client's current one); on nothing it
	// fails fast with a not-found error.
	NeedsExisting bool
}

// Component returns the part of the name before the first dot ("manager"
// for "manager.update"), or the whole name if it has none.
func (s OpSpec) Component() string {
	for i := 0; i < len(s.Name); i++ {
		if s.Name[i] == '.' {
			return s.Name[:i]
		}
	}
	return s.Name
}

// NumOps returns the number of operations, the length of an Op-indexed
// table.
func (t *Target) NumOps() int { return len(t.Ops) }

// AllOps returns every operation, in declaration order.
func (t *Target) AllOps() []Op {
	ops := make([]Op, len(t.Ops))
	for i := range ops {
		ops[i] = Op(i)
	}
	return ops
}

// Spec returns the description of op; it panics if op is not one of t's
// operations (a programming error: Ops come from t).
func (t *Target) Spec(op Op) OpSpec { return t.Ops[op] }

// OpName returns op's qualified name, or "target.Op(N)" for an index t
// does not have.
func (t *Target) OpName(op Op) string {
	if int(op) >= len(t.Ops) {
		return fmt.Sprintf("target.Op(%d)", int(op))
	}
	return t.Ops[op].Name
}

// OpNames returns the qualified names of every operation, in declaration
// order.
func (t *Target) OpNames() []string {
	names := make([]string, len(t.Ops))
	for i, s := range t.Ops {
		names[i] = s.Name
	}
	return names
}

// Op returns the operation called name. The error matches ErrUnknown and
// lists the operations the target has, so a typo in a mix is one line to
// fix.
func (t *Target) Op(name string) (Op, error) {
	for i, s := range t.Ops {
		if s.Name == name {
			return Op(i), nil
		}
	}
	return 0, fmt.Errorf("%w operation %q for target %q (it has: %s)", ErrUnknown, name, t.Name, strings.Join(t.OpNames(), ", "))
}
