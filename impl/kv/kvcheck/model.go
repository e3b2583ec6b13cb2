package kvcheck

import (
	"fmt"
	"hash/maphash"

	"github.com/anishathalye/porcupine"

	"lockbench/impl/kv"
)

// linInput is the input of one porcupine operation on one key.
type linInput struct {
	Op    kv.Op // Get, Put, PutIfAbsent or Delete (scans are split into gets)
	Key   string
	Value string // put, put_if_absent
	// Maybe: it may not take effect here (an unknown outcome, or an
	// operation straddling a window's edge, whose effect may lie outside
	// the window).
	Maybe bool
	// Unchecked: its output says nothing (an unknown outcome: the caller
	// was told it failed).
	Unchecked bool
	// Label names the operation in the visualisation ("kv.scan", "final
	// memory", …).
	Label string
}

// linOutput is its output: get (value, present), put_if_absent (actual,
// loaded), delete (deleted).
type linOutput struct {
	Value string
	Found bool
}

// state is one key: unknown (a window's start: anything), absent, or
// present with a value.
type state struct {
	known, present bool
	v              string
}

var (
	absent     = state{known: true}
	anyState   = state{}
	stateSeed  = maphash.MakeSeed()
	presentOf  = func(v string) state { return state{known: true, present: true, v: v} }
	observedAs = func(found bool, v string) state {
		if found {
			return presentOf(v)
		}
		return absent
	}
)

// model returns the key/value model of one key, from init. Partitioning by
// key is done before (partitions), so the model's state is one value.
func model(init state) porcupine.Model {
	nm := porcupine.NondeterministicModel{
		Init: func() []interface{} { return []interface{}{init} },
		Step: func(s, in, out interface{}) []interface{} {
			return step(s.(state), in.(linInput), out.(linOutput))
		},
		Equal: func(a, b interface{}) bool { return a.(state) == b.(state) },
		Hash:  func(s interface{}) uint64 { return maphash.Comparable(stateSeed, s.(state)) },
		DescribeOperation: func(in, out interface{}) string {
			return describe(in.(linInput), out.(linOutput))
		},
		DescribeState: func(s interface{}) string { return s.(state).String() },
	}
	return nm.ToModel()
}

func step(s state, in linInput, out linOutput) []interface{} {
	if in.Maybe {
		next := []interface{}{s}
		if n, ok := apply(s, in, out, !in.Unchecked); ok && n != s {
			next = append(next, n)
		}
		return next
	}
	if n, ok := apply(s, in, out, !in.Unchecked); ok {
		return []interface{}{n}
	}
	return nil
}

// apply is the sequential specification of one key; checked=false ignores
// out (an operation with an unknown outcome that did take effect).
func apply(s state, in linInput, out linOutput, checked bool) (state, bool) {
	// agrees reports whether s can be what out says it observed.
	agrees := func(found bool, v string) bool {
		return !checked || !s.known || s == observedAs(found, v)
	}
	switch in.Op {
	case kv.Get:
		if !checked {
			return s, true
		}
		return observedAs(out.Found, out.Value), agrees(out.Found, out.Value)
	case kv.Put:
		return presentOf(in.Value), true
	case kv.PutIfAbsent:
		if !checked {
			if s.known && s.present {
				return s, true
			}
			// Unknown state: it may have been present (no change,
			// still unknown) or absent (inserted); the first is the
			// state the Maybe branch already keeps.
			return presentOf(in.Value), true
		}
		if out.Found { // loaded: nothing written
			return presentOf(out.Value), agrees(true, out.Value)
		}
		return presentOf(in.Value), !s.known || !s.present
	case kv.Delete:
		if checked && !out.Found {
			return absent, agrees(false, "")
		}
		return absent, !checked || !s.known || s.present
	}
	return s, false
}

func (s state) String() string {
	switch {
	case !s.known:
		return "?"
	case !s.present:
		return "absent"
	}
	return fmt.Sprintf("%q", s.v)
}

func describe(in linInput, out linOutput) string {
	name := in.Label
	if name == "" {
		name = in.Op.String()
	}
	res := "absent"
	if out.Found {
		res = fmt.Sprintf("%q", out.Value)
	}
	var s string
	switch in.Op {
	case kv.Get:
		s = fmt.Sprintf("%s(%s) -> %s", name, in.Key, res)
	case kv.Put:
		s = fmt.Sprintf("%s(%s, %q)", name, in.Key, in.Value)
	case kv.PutIfAbsent:
		if out.Found {
			res = "loaded " + res
		} else {
			res = "stored"
		}
		s = fmt.Sprintf("%s(%s, %q) -> %s", name, in.Key, in.Value, res)
	case kv.Delete:
		s = fmt.Sprintf("%s(%s) -> deleted=%v", name, in.Key, out.Found)
	}
	switch {
	case in.Unchecked:
		s += " (outcome unknown)"
	case in.Maybe:
		s += " (may fall outside this window)"
	}
	return s
}
