package linearize

import (
	"math"

	"github.com/anishathalye/porcupine"
)

// Op is one operation of a partition's history: the closed interval
// [Call, Return] in which it took effect (Return may be math.MaxInt64: it
// may take effect at any later time), what it was asked and what it
// returned.
type Op struct {
	Client       int
	Call, Return int64
	In           Input
	Out          Output
	// Final marks a read of the state at quiescence, taken by the checker
	// at one instant after every other operation returned. Final reads
	// come last.
	Final bool
	// Metadata is shown beside the operation in the visualisation.
	Metadata string
}

// Classification of operations, by their model's step table. The
// shortcuts see operations only through these.

// isRead reports an operation that never changes the state.
func (m *Model) isRead(op porcupine.Operation) bool { return m.step(op).Read }

// writes reports the data op wrote, "" if none: the unique value a read of
// it names.
func (m *Model) writes(op porcupine.Operation) string {
	if m.isRead(op) {
		return ""
	}
	return op.Input.(Input).Data
}

// destructive reports an operation that certainly replaced the state, so
// placing it ends the visibility of the value before it.
func (m *Model) destructive(op porcupine.Operation) bool {
	in, out := op.Input.(Input), op.Output.(Output)
	return !in.Maybe && out.Err == OK && m.step(op).Replaces
}

// readData returns the data a successful read returned.
func (m *Model) readData(op porcupine.Operation) (string, bool) {
	out := op.Output.(Output)
	return out.Data, m.isRead(op) && out.Err == OK && out.Data != ""
}

// observedData returns the data an operation saw without writing it: a
// read's result, or the snapshot a step like a recovery point took.
func (m *Model) observedData(op porcupine.Operation) (string, bool) {
	if d, ok := m.readData(op); ok {
		return d, true
	}
	in, out := op.Input.(Input), op.Output.(Output)
	return out.Data, m.step(op).Snapshot && !in.Maybe && out.Err == OK && out.Data != ""
}

// Observed values that are not data.
const (
	absentValue  = "\x00absent"  // a not_found outcome
	presentValue = "\x00present" // a create that found the key
	unknownValue = "\x00unknown" // data written before the window
)

// observed returns what an operation that does not change the state saw:
// the data a read returned, or whether the key existed (a definite failure
// of a write). ok is false for any other operation.
func (m *Model) observed(op porcupine.Operation) (string, bool) {
	in, out := op.Input.(Input), op.Output.(Output)
	st := m.step(op)
	switch {
	case in.Maybe:
		return "", false
	case st.Read && out.Err == OK:
		return out.Data, out.Data != ""
	case out.Err == NotFound:
		return absentValue, !st.NotFoundElsewhere
	case out.Err == Exists && st.ExistsSeen:
		return presentValue, true
	}
	return "", false
}

// observes reports an operation that never changes the state: a read, or a
// write that failed for certain.
func (m *Model) observes(op porcupine.Operation) bool {
	if m.isRead(op) {
		return true
	}
	_, ok := m.observed(op)
	return ok
}

// maybe returns op with an unknown outcome; false for a read, which then
// tells nothing.
func (m *Model) maybe(op porcupine.Operation) (porcupine.Operation, bool) {
	if m.isRead(op) {
		return op, false
	}
	in := op.Input.(Input)
	in.Maybe = true
	op.Input = in
	return op, true
}

// readTimes maps each data to the earliest Return (or, with latest, the
// latest Call) of a successful read that returned it.
func (m *Model) readTimes(ops []porcupine.Operation, latestCall bool) map[string]int64 {
	t := map[string]int64{}
	for _, op := range ops {
		d, ok := m.readData(op)
		if !ok {
			continue
		}
		at, seen := t[d]
		switch {
		case latestCall && (!seen || op.Call > at):
			t[d] = op.Call
		case !latestCall && (!seen || op.Return < at):
			t[d] = op.Return
		}
	}
	return t
}

// writeUrgency is each operation's Return, lowered for a write to the
// earliest Return of a read that returned its data.
func (m *Model) writeUrgency(ops []porcupine.Operation) []int64 {
	readBy := m.readTimes(ops, false)
	u := make([]int64, len(ops))
	for i, op := range ops {
		u[i] = op.Return
		if d := m.writes(op); d != "" {
			if t, ok := readBy[d]; ok && t < u[i] {
				u[i] = t
			}
		}
	}
	return u
}

// lateReaders is, for each write, the latest Call of a read that returned
// its data (math.MinInt64 when none).
func (m *Model) lateReaders(ops []porcupine.Operation) []int64 {
	lastCall := m.readTimes(ops, true)
	late := make([]int64, len(ops))
	for i, op := range ops {
		late[i] = math.MinInt64
		if d := m.writes(op); d != "" {
			if t, ok := lastCall[d]; ok {
				late[i] = t
			}
		}
	}
	return late
}
