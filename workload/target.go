package workload

import (
	"fmt"
	"slices"
	"strings"

	"lockbench/target"
)

// Op is an operation of the spec's target (see lockbench/target): the
// generator draws them, the runner executes them.
type Op = target.Op

// System returns the target the spec names: Target, or target.Default
// when it names none. The error matches ErrUnknown and lists the targets
// registered.
func (s *Spec) System() (*target.Target, error) {
	t, err := target.Lookup(s.Target)
	if err != nil {
		name := s.Target
		if name == "" {
			name = target.Default
		}
		return nil, fmt.Errorf("%w target %q%s", ErrUnknown, name, suggestOrList(name, target.Names()))
	}
	return t, nil
}

// TargetName returns the name of the spec's target, target.Default when it
// names none.
func (s *Spec) TargetName() string {
	if s.Target == "" {
		return target.Default
	}
	return s.Target
}

// ParseOp returns the operation of the spec's target called name. The
// error matches ErrUnknown, quotes name, suggests the closest operation and
// lists the ones the target has.
func (s *Spec) ParseOp(name string) (Op, error) {
	t, err := s.System()
	if err != nil {
		return 0, err
	}
	op, err := t.Op(name)
	if err != nil {
		return 0, fmt.Errorf("%w %s", ErrUnknown, unknownOp(t, name))
	}
	return op, nil
}

// unknownOp is the message for a mix entry the target does not have.
func unknownOp(t *target.Target, name string) string {
	return fmt.Sprintf("operation %q for target %q%s (it has: %s)", name, t.Name,
		suggest(name, t.OpNames()), strings.Join(t.OpNames(), ", "))
}

// OpName returns op's qualified name in the spec's target.
func (s *Spec) OpName(op Op) string {
	t, err := s.System()
	if err != nil {
		return fmt.Sprintf("target.Op(%d)", int(op))
	}
	return t.OpName(op)
}

// opSpecs returns the descriptions of the mix's operations (weight > 0),
// sorted by operation; none when the target is unknown.
func (s *Spec) opSpecs() []target.OpSpec {
	t, err := s.System()
	if err != nil {
		return nil
	}
	var specs []target.OpSpec
	for _, op := range s.OpKinds() {
		specs = append(specs, t.Spec(op))
	}
	return specs
}

// OpKinds returns the operations with a positive weight, sorted. (It
// cannot be called Ops: that is the field of the "ops" limit.) Names the
// target does not have are left out; Parse rejects them.
func (s *Spec) OpKinds() []Op {
	t, err := s.System()
	if err != nil {
		return nil
	}
	var ops []Op
	for name, weight := range s.Mix {
		if op, err := t.Op(name); err == nil && weight > 0 {
			ops = append(ops, op)
		}
	}
	slices.Sort(ops)
	return ops
}
